// Placeholder while the protocol is being written; replaced in the next commit.
export type RaftStatus = Record<string, unknown>;
export declare class RaftNode {}
