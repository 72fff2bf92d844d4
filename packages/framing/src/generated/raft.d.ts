import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace raftio. */
export namespace raftio {

    /** Namespace v1. */
    namespace v1 {

        /** EntryType enum. */
        enum EntryType {

            /** ENTRY_TYPE_UNSPECIFIED value */
            ENTRY_TYPE_UNSPECIFIED = 0,

            /** ENTRY_TYPE_COMMAND value */
            ENTRY_TYPE_COMMAND = 1,

            /** ENTRY_TYPE_EMPTY value */
            ENTRY_TYPE_EMPTY = 2,

            /** ENTRY_TYPE_MEMBERSHIP value */
            ENTRY_TYPE_MEMBERSHIP = 3
        }

        /**
         * Properties of an Entry.
         * @deprecated Use raftio.v1.Entry.$Properties instead.
         */
        interface IEntry extends raftio.v1.Entry.$Properties {
        }

        /** Represents an Entry. */
        class Entry {

            /**
             * Constructs a new Entry.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.Entry.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Entry index. */
            index: number;

            /** Entry term. */
            term: number;

            /** Entry type. */
            type: raftio.v1.EntryType;

            /** Entry data. */
            data: Uint8Array;

            /**
             * Creates a new Entry instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Entry instance
             */
            static create(properties: raftio.v1.Entry.$Shape): raftio.v1.Entry & raftio.v1.Entry.$Shape;
            static create(properties?: raftio.v1.Entry.$Properties): raftio.v1.Entry;

            /**
             * Encodes the specified Entry message. Does not implicitly {@link raftio.v1.Entry.verify|verify} messages.
             * @param message Entry message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.Entry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Entry message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.Entry & raftio.v1.Entry.$Shape} Entry
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.Entry & raftio.v1.Entry.$Shape;
        }

        namespace Entry {

            /** Properties of an Entry. */
            interface $Properties {

                /** Entry index */
                index?: (number|null);

                /** Entry term */
                term?: (number|null);

                /** Entry type */
                type?: (raftio.v1.EntryType|null);

                /** Entry data */
                data?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Entry. */
            type $Shape = raftio.v1.Entry.$Properties;
        }

        /**
         * Properties of a MemberInfo.
         * @deprecated Use raftio.v1.MemberInfo.$Properties instead.
         */
        interface IMemberInfo extends raftio.v1.MemberInfo.$Properties {
        }

        /** Represents a MemberInfo. */
        class MemberInfo {

            /**
             * Constructs a new MemberInfo.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.MemberInfo.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MemberInfo id. */
            id: number;

            /** MemberInfo address. */
            address: string;

            /** MemberInfo metadata. */
            metadata: string;

            /**
             * Creates a new MemberInfo instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MemberInfo instance
             */
            static create(properties: raftio.v1.MemberInfo.$Shape): raftio.v1.MemberInfo & raftio.v1.MemberInfo.$Shape;
            static create(properties?: raftio.v1.MemberInfo.$Properties): raftio.v1.MemberInfo;

            /**
             * Encodes the specified MemberInfo message. Does not implicitly {@link raftio.v1.MemberInfo.verify|verify} messages.
             * @param message MemberInfo message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.MemberInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MemberInfo message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.MemberInfo & raftio.v1.MemberInfo.$Shape} MemberInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.MemberInfo & raftio.v1.MemberInfo.$Shape;
        }

        namespace MemberInfo {

            /** Properties of a MemberInfo. */
            interface $Properties {

                /** MemberInfo id */
                id?: (number|null);

                /** MemberInfo address */
                address?: (string|null);

                /** MemberInfo metadata */
                metadata?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MemberInfo. */
            type $Shape = raftio.v1.MemberInfo.$Properties;
        }

        /**
         * Properties of a Membership.
         * @deprecated Use raftio.v1.Membership.$Properties instead.
         */
        interface IMembership extends raftio.v1.Membership.$Properties {
        }

        /** Represents a Membership. */
        class Membership {

            /**
             * Constructs a new Membership.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.Membership.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Membership voters. */
            voters: number[];

            /** Membership learners. */
            learners: number[];

            /** Membership outgoingVoters. */
            outgoingVoters: number[];

            /** Membership info. */
            info: raftio.v1.MemberInfo.$Properties[];

            /**
             * Creates a new Membership instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Membership instance
             */
            static create(properties: raftio.v1.Membership.$Shape): raftio.v1.Membership & raftio.v1.Membership.$Shape;
            static create(properties?: raftio.v1.Membership.$Properties): raftio.v1.Membership;

            /**
             * Encodes the specified Membership message. Does not implicitly {@link raftio.v1.Membership.verify|verify} messages.
             * @param message Membership message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.Membership.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Membership message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.Membership & raftio.v1.Membership.$Shape} Membership
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.Membership & raftio.v1.Membership.$Shape;
        }

        namespace Membership {

            /** Properties of a Membership. */
            interface $Properties {

                /** Membership voters */
                voters?: (number[]|null);

                /** Membership learners */
                learners?: (number[]|null);

                /** Membership outgoingVoters */
                outgoingVoters?: (number[]|null);

                /** Membership info */
                info?: (raftio.v1.MemberInfo.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Membership. */
            type $Shape = raftio.v1.Membership.$Properties;
        }

        /**
         * Properties of a SnapshotMetadata.
         * @deprecated Use raftio.v1.SnapshotMetadata.$Properties instead.
         */
        interface ISnapshotMetadata extends raftio.v1.SnapshotMetadata.$Properties {
        }

        /** Represents a SnapshotMetadata. */
        class SnapshotMetadata {

            /**
             * Constructs a new SnapshotMetadata.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.SnapshotMetadata.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SnapshotMetadata index. */
            index: number;

            /** SnapshotMetadata term. */
            term: number;

            /** SnapshotMetadata membership. */
            membership?: (raftio.v1.Membership.$Properties|null);

            /** SnapshotMetadata checksum. */
            checksum?: (number|null);

            /**
             * Creates a new SnapshotMetadata instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SnapshotMetadata instance
             */
            static create(properties: raftio.v1.SnapshotMetadata.$Shape): raftio.v1.SnapshotMetadata & raftio.v1.SnapshotMetadata.$Shape;
            static create(properties?: raftio.v1.SnapshotMetadata.$Properties): raftio.v1.SnapshotMetadata;

            /**
             * Encodes the specified SnapshotMetadata message. Does not implicitly {@link raftio.v1.SnapshotMetadata.verify|verify} messages.
             * @param message SnapshotMetadata message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.SnapshotMetadata.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SnapshotMetadata message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.SnapshotMetadata & raftio.v1.SnapshotMetadata.$Shape} SnapshotMetadata
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.SnapshotMetadata & raftio.v1.SnapshotMetadata.$Shape;
        }

        namespace SnapshotMetadata {

            /** Properties of a SnapshotMetadata. */
            interface $Properties {

                /** SnapshotMetadata index */
                index?: (number|null);

                /** SnapshotMetadata term */
                term?: (number|null);

                /** SnapshotMetadata membership */
                membership?: (raftio.v1.Membership.$Properties|null);

                /** SnapshotMetadata checksum */
                checksum?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SnapshotMetadata. */
            type $Shape = raftio.v1.SnapshotMetadata.$Properties;
        }

        /**
         * Properties of a RequestVote.
         * @deprecated Use raftio.v1.RequestVote.$Properties instead.
         */
        interface IRequestVote extends raftio.v1.RequestVote.$Properties {
        }

        /** Represents a RequestVote. */
        class RequestVote {

            /**
             * Constructs a new RequestVote.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.RequestVote.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** RequestVote preVote. */
            preVote: boolean;

            /** RequestVote lastLogIndex. */
            lastLogIndex: number;

            /** RequestVote lastLogTerm. */
            lastLogTerm: number;

            /** RequestVote transfer. */
            transfer: boolean;

            /**
             * Creates a new RequestVote instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RequestVote instance
             */
            static create(properties: raftio.v1.RequestVote.$Shape): raftio.v1.RequestVote & raftio.v1.RequestVote.$Shape;
            static create(properties?: raftio.v1.RequestVote.$Properties): raftio.v1.RequestVote;

            /**
             * Encodes the specified RequestVote message. Does not implicitly {@link raftio.v1.RequestVote.verify|verify} messages.
             * @param message RequestVote message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.RequestVote.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RequestVote message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.RequestVote & raftio.v1.RequestVote.$Shape} RequestVote
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.RequestVote & raftio.v1.RequestVote.$Shape;
        }

        namespace RequestVote {

            /** Properties of a RequestVote. */
            interface $Properties {

                /** RequestVote preVote */
                preVote?: (boolean|null);

                /** RequestVote lastLogIndex */
                lastLogIndex?: (number|null);

                /** RequestVote lastLogTerm */
                lastLogTerm?: (number|null);

                /** RequestVote transfer */
                transfer?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a RequestVote. */
            type $Shape = raftio.v1.RequestVote.$Properties;
        }

        /**
         * Properties of a RequestVoteResponse.
         * @deprecated Use raftio.v1.RequestVoteResponse.$Properties instead.
         */
        interface IRequestVoteResponse extends raftio.v1.RequestVoteResponse.$Properties {
        }

        /** Represents a RequestVoteResponse. */
        class RequestVoteResponse {

            /**
             * Constructs a new RequestVoteResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.RequestVoteResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** RequestVoteResponse preVote. */
            preVote: boolean;

            /** RequestVoteResponse granted. */
            granted: boolean;

            /**
             * Creates a new RequestVoteResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RequestVoteResponse instance
             */
            static create(properties: raftio.v1.RequestVoteResponse.$Shape): raftio.v1.RequestVoteResponse & raftio.v1.RequestVoteResponse.$Shape;
            static create(properties?: raftio.v1.RequestVoteResponse.$Properties): raftio.v1.RequestVoteResponse;

            /**
             * Encodes the specified RequestVoteResponse message. Does not implicitly {@link raftio.v1.RequestVoteResponse.verify|verify} messages.
             * @param message RequestVoteResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.RequestVoteResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RequestVoteResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.RequestVoteResponse & raftio.v1.RequestVoteResponse.$Shape} RequestVoteResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.RequestVoteResponse & raftio.v1.RequestVoteResponse.$Shape;
        }

        namespace RequestVoteResponse {

            /** Properties of a RequestVoteResponse. */
            interface $Properties {

                /** RequestVoteResponse preVote */
                preVote?: (boolean|null);

                /** RequestVoteResponse granted */
                granted?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a RequestVoteResponse. */
            type $Shape = raftio.v1.RequestVoteResponse.$Properties;
        }

        /**
         * Properties of an AppendEntries.
         * @deprecated Use raftio.v1.AppendEntries.$Properties instead.
         */
        interface IAppendEntries extends raftio.v1.AppendEntries.$Properties {
        }

        /** Represents an AppendEntries. */
        class AppendEntries {

            /**
             * Constructs a new AppendEntries.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.AppendEntries.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AppendEntries prevLogIndex. */
            prevLogIndex: number;

            /** AppendEntries prevLogTerm. */
            prevLogTerm: number;

            /** AppendEntries entries. */
            entries: raftio.v1.Entry.$Properties[];

            /** AppendEntries commit. */
            commit: number;

            /**
             * Creates a new AppendEntries instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AppendEntries instance
             */
            static create(properties: raftio.v1.AppendEntries.$Shape): raftio.v1.AppendEntries & raftio.v1.AppendEntries.$Shape;
            static create(properties?: raftio.v1.AppendEntries.$Properties): raftio.v1.AppendEntries;

            /**
             * Encodes the specified AppendEntries message. Does not implicitly {@link raftio.v1.AppendEntries.verify|verify} messages.
             * @param message AppendEntries message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.AppendEntries.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AppendEntries message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.AppendEntries & raftio.v1.AppendEntries.$Shape} AppendEntries
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.AppendEntries & raftio.v1.AppendEntries.$Shape;
        }

        namespace AppendEntries {

            /** Properties of an AppendEntries. */
            interface $Properties {

                /** AppendEntries prevLogIndex */
                prevLogIndex?: (number|null);

                /** AppendEntries prevLogTerm */
                prevLogTerm?: (number|null);

                /** AppendEntries entries */
                entries?: (raftio.v1.Entry.$Properties[]|null);

                /** AppendEntries commit */
                commit?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AppendEntries. */
            type $Shape = raftio.v1.AppendEntries.$Properties;
        }

        /**
         * Properties of an AppendEntriesResponse.
         * @deprecated Use raftio.v1.AppendEntriesResponse.$Properties instead.
         */
        interface IAppendEntriesResponse extends raftio.v1.AppendEntriesResponse.$Properties {
        }

        /** Represents an AppendEntriesResponse. */
        class AppendEntriesResponse {

            /**
             * Constructs a new AppendEntriesResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.AppendEntriesResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AppendEntriesResponse success. */
            success: boolean;

            /** AppendEntriesResponse index. */
            index: number;

            /** AppendEntriesResponse hintIndex. */
            hintIndex: number;

            /** AppendEntriesResponse hintTerm. */
            hintTerm: number;

            /**
             * Creates a new AppendEntriesResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AppendEntriesResponse instance
             */
            static create(properties: raftio.v1.AppendEntriesResponse.$Shape): raftio.v1.AppendEntriesResponse & raftio.v1.AppendEntriesResponse.$Shape;
            static create(properties?: raftio.v1.AppendEntriesResponse.$Properties): raftio.v1.AppendEntriesResponse;

            /**
             * Encodes the specified AppendEntriesResponse message. Does not implicitly {@link raftio.v1.AppendEntriesResponse.verify|verify} messages.
             * @param message AppendEntriesResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.AppendEntriesResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AppendEntriesResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.AppendEntriesResponse & raftio.v1.AppendEntriesResponse.$Shape} AppendEntriesResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.AppendEntriesResponse & raftio.v1.AppendEntriesResponse.$Shape;
        }

        namespace AppendEntriesResponse {

            /** Properties of an AppendEntriesResponse. */
            interface $Properties {

                /** AppendEntriesResponse success */
                success?: (boolean|null);

                /** AppendEntriesResponse index */
                index?: (number|null);

                /** AppendEntriesResponse hintIndex */
                hintIndex?: (number|null);

                /** AppendEntriesResponse hintTerm */
                hintTerm?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AppendEntriesResponse. */
            type $Shape = raftio.v1.AppendEntriesResponse.$Properties;
        }

        /**
         * Properties of a Heartbeat.
         * @deprecated Use raftio.v1.Heartbeat.$Properties instead.
         */
        interface IHeartbeat extends raftio.v1.Heartbeat.$Properties {
        }

        /** Represents a Heartbeat. */
        class Heartbeat {

            /**
             * Constructs a new Heartbeat.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.Heartbeat.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Heartbeat commit. */
            commit: number;

            /** Heartbeat context. */
            context: number;

            /** Heartbeat quiesce. */
            quiesce: boolean;

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Heartbeat instance
             */
            static create(properties: raftio.v1.Heartbeat.$Shape): raftio.v1.Heartbeat & raftio.v1.Heartbeat.$Shape;
            static create(properties?: raftio.v1.Heartbeat.$Properties): raftio.v1.Heartbeat;

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link raftio.v1.Heartbeat.verify|verify} messages.
             * @param message Heartbeat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.Heartbeat.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.Heartbeat & raftio.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.Heartbeat & raftio.v1.Heartbeat.$Shape;
        }

        namespace Heartbeat {

            /** Properties of a Heartbeat. */
            interface $Properties {

                /** Heartbeat commit */
                commit?: (number|null);

                /** Heartbeat context */
                context?: (number|null);

                /** Heartbeat quiesce */
                quiesce?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Heartbeat. */
            type $Shape = raftio.v1.Heartbeat.$Properties;
        }

        /**
         * Properties of a HeartbeatResponse.
         * @deprecated Use raftio.v1.HeartbeatResponse.$Properties instead.
         */
        interface IHeartbeatResponse extends raftio.v1.HeartbeatResponse.$Properties {
        }

        /** Represents a HeartbeatResponse. */
        class HeartbeatResponse {

            /**
             * Constructs a new HeartbeatResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.HeartbeatResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** HeartbeatResponse context. */
            context: number;

            /**
             * Creates a new HeartbeatResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns HeartbeatResponse instance
             */
            static create(properties: raftio.v1.HeartbeatResponse.$Shape): raftio.v1.HeartbeatResponse & raftio.v1.HeartbeatResponse.$Shape;
            static create(properties?: raftio.v1.HeartbeatResponse.$Properties): raftio.v1.HeartbeatResponse;

            /**
             * Encodes the specified HeartbeatResponse message. Does not implicitly {@link raftio.v1.HeartbeatResponse.verify|verify} messages.
             * @param message HeartbeatResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.HeartbeatResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a HeartbeatResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.HeartbeatResponse & raftio.v1.HeartbeatResponse.$Shape} HeartbeatResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.HeartbeatResponse & raftio.v1.HeartbeatResponse.$Shape;
        }

        namespace HeartbeatResponse {

            /** Properties of a HeartbeatResponse. */
            interface $Properties {

                /** HeartbeatResponse context */
                context?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a HeartbeatResponse. */
            type $Shape = raftio.v1.HeartbeatResponse.$Properties;
        }

        /**
         * Properties of an InstallSnapshot.
         * @deprecated Use raftio.v1.InstallSnapshot.$Properties instead.
         */
        interface IInstallSnapshot extends raftio.v1.InstallSnapshot.$Properties {
        }

        /** Represents an InstallSnapshot. */
        class InstallSnapshot {

            /**
             * Constructs a new InstallSnapshot.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.InstallSnapshot.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** InstallSnapshot metadata. */
            metadata?: (raftio.v1.SnapshotMetadata.$Properties|null);

            /** InstallSnapshot offset. */
            offset: number;

            /** InstallSnapshot data. */
            data: Uint8Array;

            /** InstallSnapshot done. */
            done: boolean;

            /**
             * Creates a new InstallSnapshot instance using the specified properties.
             * @param [properties] Properties to set
             * @returns InstallSnapshot instance
             */
            static create(properties: raftio.v1.InstallSnapshot.$Shape): raftio.v1.InstallSnapshot & raftio.v1.InstallSnapshot.$Shape;
            static create(properties?: raftio.v1.InstallSnapshot.$Properties): raftio.v1.InstallSnapshot;

            /**
             * Encodes the specified InstallSnapshot message. Does not implicitly {@link raftio.v1.InstallSnapshot.verify|verify} messages.
             * @param message InstallSnapshot message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.InstallSnapshot.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an InstallSnapshot message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.InstallSnapshot & raftio.v1.InstallSnapshot.$Shape} InstallSnapshot
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.InstallSnapshot & raftio.v1.InstallSnapshot.$Shape;
        }

        namespace InstallSnapshot {

            /** Properties of an InstallSnapshot. */
            interface $Properties {

                /** InstallSnapshot metadata */
                metadata?: (raftio.v1.SnapshotMetadata.$Properties|null);

                /** InstallSnapshot offset */
                offset?: (number|null);

                /** InstallSnapshot data */
                data?: (Uint8Array|null);

                /** InstallSnapshot done */
                done?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an InstallSnapshot. */
            type $Shape = raftio.v1.InstallSnapshot.$Properties;
        }

        /**
         * Properties of an InstallSnapshotResponse.
         * @deprecated Use raftio.v1.InstallSnapshotResponse.$Properties instead.
         */
        interface IInstallSnapshotResponse extends raftio.v1.InstallSnapshotResponse.$Properties {
        }

        /** Represents an InstallSnapshotResponse. */
        class InstallSnapshotResponse {

            /**
             * Constructs a new InstallSnapshotResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.InstallSnapshotResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** InstallSnapshotResponse snapshotIndex. */
            snapshotIndex: number;

            /** InstallSnapshotResponse offset. */
            offset: number;

            /** InstallSnapshotResponse done. */
            done: boolean;

            /** InstallSnapshotResponse reject. */
            reject: boolean;

            /**
             * Creates a new InstallSnapshotResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns InstallSnapshotResponse instance
             */
            static create(properties: raftio.v1.InstallSnapshotResponse.$Shape): raftio.v1.InstallSnapshotResponse & raftio.v1.InstallSnapshotResponse.$Shape;
            static create(properties?: raftio.v1.InstallSnapshotResponse.$Properties): raftio.v1.InstallSnapshotResponse;

            /**
             * Encodes the specified InstallSnapshotResponse message. Does not implicitly {@link raftio.v1.InstallSnapshotResponse.verify|verify} messages.
             * @param message InstallSnapshotResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.InstallSnapshotResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an InstallSnapshotResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.InstallSnapshotResponse & raftio.v1.InstallSnapshotResponse.$Shape} InstallSnapshotResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.InstallSnapshotResponse & raftio.v1.InstallSnapshotResponse.$Shape;
        }

        namespace InstallSnapshotResponse {

            /** Properties of an InstallSnapshotResponse. */
            interface $Properties {

                /** InstallSnapshotResponse snapshotIndex */
                snapshotIndex?: (number|null);

                /** InstallSnapshotResponse offset */
                offset?: (number|null);

                /** InstallSnapshotResponse done */
                done?: (boolean|null);

                /** InstallSnapshotResponse reject */
                reject?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an InstallSnapshotResponse. */
            type $Shape = raftio.v1.InstallSnapshotResponse.$Properties;
        }

        /**
         * Properties of a TimeoutNow.
         * @deprecated Use raftio.v1.TimeoutNow.$Properties instead.
         */
        interface ITimeoutNow extends raftio.v1.TimeoutNow.$Properties {
        }

        /** Represents a TimeoutNow. */
        class TimeoutNow {

            /**
             * Constructs a new TimeoutNow.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.TimeoutNow.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Creates a new TimeoutNow instance using the specified properties.
             * @param [properties] Properties to set
             * @returns TimeoutNow instance
             */
            static create(properties: raftio.v1.TimeoutNow.$Shape): raftio.v1.TimeoutNow & raftio.v1.TimeoutNow.$Shape;
            static create(properties?: raftio.v1.TimeoutNow.$Properties): raftio.v1.TimeoutNow;

            /**
             * Encodes the specified TimeoutNow message. Does not implicitly {@link raftio.v1.TimeoutNow.verify|verify} messages.
             * @param message TimeoutNow message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.TimeoutNow.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a TimeoutNow message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.TimeoutNow & raftio.v1.TimeoutNow.$Shape} TimeoutNow
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.TimeoutNow & raftio.v1.TimeoutNow.$Shape;
        }

        namespace TimeoutNow {

            /** Properties of a TimeoutNow. */
            interface $Properties {

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a TimeoutNow. */
            type $Shape = raftio.v1.TimeoutNow.$Properties;
        }

        /**
         * Properties of a ReadIndex.
         * @deprecated Use raftio.v1.ReadIndex.$Properties instead.
         */
        interface IReadIndex extends raftio.v1.ReadIndex.$Properties {
        }

        /** Represents a ReadIndex. */
        class ReadIndex {

            /**
             * Constructs a new ReadIndex.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.ReadIndex.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ReadIndex id. */
            id: string;

            /**
             * Creates a new ReadIndex instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ReadIndex instance
             */
            static create(properties: raftio.v1.ReadIndex.$Shape): raftio.v1.ReadIndex & raftio.v1.ReadIndex.$Shape;
            static create(properties?: raftio.v1.ReadIndex.$Properties): raftio.v1.ReadIndex;

            /**
             * Encodes the specified ReadIndex message. Does not implicitly {@link raftio.v1.ReadIndex.verify|verify} messages.
             * @param message ReadIndex message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.ReadIndex.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ReadIndex message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.ReadIndex & raftio.v1.ReadIndex.$Shape} ReadIndex
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.ReadIndex & raftio.v1.ReadIndex.$Shape;
        }

        namespace ReadIndex {

            /** Properties of a ReadIndex. */
            interface $Properties {

                /** ReadIndex id */
                id?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ReadIndex. */
            type $Shape = raftio.v1.ReadIndex.$Properties;
        }

        /**
         * Properties of a ReadIndexResponse.
         * @deprecated Use raftio.v1.ReadIndexResponse.$Properties instead.
         */
        interface IReadIndexResponse extends raftio.v1.ReadIndexResponse.$Properties {
        }

        /** Represents a ReadIndexResponse. */
        class ReadIndexResponse {

            /**
             * Constructs a new ReadIndexResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.ReadIndexResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ReadIndexResponse id. */
            id: string;

            /** ReadIndexResponse index. */
            index: number;

            /** ReadIndexResponse ok. */
            ok: boolean;

            /**
             * Creates a new ReadIndexResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ReadIndexResponse instance
             */
            static create(properties: raftio.v1.ReadIndexResponse.$Shape): raftio.v1.ReadIndexResponse & raftio.v1.ReadIndexResponse.$Shape;
            static create(properties?: raftio.v1.ReadIndexResponse.$Properties): raftio.v1.ReadIndexResponse;

            /**
             * Encodes the specified ReadIndexResponse message. Does not implicitly {@link raftio.v1.ReadIndexResponse.verify|verify} messages.
             * @param message ReadIndexResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.ReadIndexResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ReadIndexResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.ReadIndexResponse & raftio.v1.ReadIndexResponse.$Shape} ReadIndexResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.ReadIndexResponse & raftio.v1.ReadIndexResponse.$Shape;
        }

        namespace ReadIndexResponse {

            /** Properties of a ReadIndexResponse. */
            interface $Properties {

                /** ReadIndexResponse id */
                id?: (string|null);

                /** ReadIndexResponse index */
                index?: (number|null);

                /** ReadIndexResponse ok */
                ok?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ReadIndexResponse. */
            type $Shape = raftio.v1.ReadIndexResponse.$Properties;
        }

        /**
         * Properties of a Handshake.
         * @deprecated Use raftio.v1.Handshake.$Properties instead.
         */
        interface IHandshake extends raftio.v1.Handshake.$Properties {
        }

        /** Represents a Handshake. */
        class Handshake {

            /**
             * Constructs a new Handshake.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.Handshake.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Handshake from. */
            from: number;

            /** Handshake to. */
            to: number;

            /** Handshake protocolVersion. */
            protocolVersion: number;

            /** Handshake nonce. */
            nonce: Uint8Array;

            /** Handshake proof. */
            proof: Uint8Array;

            /**
             * Creates a new Handshake instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Handshake instance
             */
            static create(properties: raftio.v1.Handshake.$Shape): raftio.v1.Handshake & raftio.v1.Handshake.$Shape;
            static create(properties?: raftio.v1.Handshake.$Properties): raftio.v1.Handshake;

            /**
             * Encodes the specified Handshake message. Does not implicitly {@link raftio.v1.Handshake.verify|verify} messages.
             * @param message Handshake message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.Handshake.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Handshake message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.Handshake & raftio.v1.Handshake.$Shape} Handshake
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.Handshake & raftio.v1.Handshake.$Shape;
        }

        namespace Handshake {

            /** Properties of a Handshake. */
            interface $Properties {

                /** Handshake from */
                from?: (number|null);

                /** Handshake to */
                to?: (number|null);

                /** Handshake protocolVersion */
                protocolVersion?: (number|null);

                /** Handshake nonce */
                nonce?: (Uint8Array|null);

                /** Handshake proof */
                proof?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Handshake. */
            type $Shape = raftio.v1.Handshake.$Properties;
        }

        /**
         * Properties of an Envelope.
         * @deprecated Use raftio.v1.Envelope.$Properties instead.
         */
        interface IEnvelope extends raftio.v1.Envelope.$Properties {
        }

        /** Represents an Envelope. */
        class Envelope {

            /**
             * Constructs a new Envelope.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.Envelope.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Envelope from. */
            from: number;

            /** Envelope to. */
            to: number;

            /** Envelope term. */
            term: number;

            /** Envelope requestVote. */
            requestVote?: (raftio.v1.RequestVote.$Properties|null);

            /** Envelope requestVoteResponse. */
            requestVoteResponse?: (raftio.v1.RequestVoteResponse.$Properties|null);

            /** Envelope appendEntries. */
            appendEntries?: (raftio.v1.AppendEntries.$Properties|null);

            /** Envelope appendEntriesResponse. */
            appendEntriesResponse?: (raftio.v1.AppendEntriesResponse.$Properties|null);

            /** Envelope heartbeat. */
            heartbeat?: (raftio.v1.Heartbeat.$Properties|null);

            /** Envelope heartbeatResponse. */
            heartbeatResponse?: (raftio.v1.HeartbeatResponse.$Properties|null);

            /** Envelope installSnapshot. */
            installSnapshot?: (raftio.v1.InstallSnapshot.$Properties|null);

            /** Envelope installSnapshotResponse. */
            installSnapshotResponse?: (raftio.v1.InstallSnapshotResponse.$Properties|null);

            /** Envelope timeoutNow. */
            timeoutNow?: (raftio.v1.TimeoutNow.$Properties|null);

            /** Envelope readIndex. */
            readIndex?: (raftio.v1.ReadIndex.$Properties|null);

            /** Envelope readIndexResponse. */
            readIndexResponse?: (raftio.v1.ReadIndexResponse.$Properties|null);

            /** Envelope body. */
            body?: ("requestVote"|"requestVoteResponse"|"appendEntries"|"appendEntriesResponse"|"heartbeat"|"heartbeatResponse"|"installSnapshot"|"installSnapshotResponse"|"timeoutNow"|"readIndex"|"readIndexResponse");

            /**
             * Creates a new Envelope instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Envelope instance
             */
            static create(properties: raftio.v1.Envelope.$Shape): raftio.v1.Envelope & raftio.v1.Envelope.$Shape;
            static create(properties?: raftio.v1.Envelope.$Properties): raftio.v1.Envelope;

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link raftio.v1.Envelope.verify|verify} messages.
             * @param message Envelope message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.Envelope & raftio.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.Envelope & raftio.v1.Envelope.$Shape;
        }

        namespace Envelope {

            /** Properties of an Envelope. */
            interface $Properties {

                /** Envelope from */
                from?: (number|null);

                /** Envelope to */
                to?: (number|null);

                /** Envelope term */
                term?: (number|null);

                /** Envelope requestVote */
                requestVote?: (raftio.v1.RequestVote.$Properties|null);

                /** Envelope requestVoteResponse */
                requestVoteResponse?: (raftio.v1.RequestVoteResponse.$Properties|null);

                /** Envelope appendEntries */
                appendEntries?: (raftio.v1.AppendEntries.$Properties|null);

                /** Envelope appendEntriesResponse */
                appendEntriesResponse?: (raftio.v1.AppendEntriesResponse.$Properties|null);

                /** Envelope heartbeat */
                heartbeat?: (raftio.v1.Heartbeat.$Properties|null);

                /** Envelope heartbeatResponse */
                heartbeatResponse?: (raftio.v1.HeartbeatResponse.$Properties|null);

                /** Envelope installSnapshot */
                installSnapshot?: (raftio.v1.InstallSnapshot.$Properties|null);

                /** Envelope installSnapshotResponse */
                installSnapshotResponse?: (raftio.v1.InstallSnapshotResponse.$Properties|null);

                /** Envelope timeoutNow */
                timeoutNow?: (raftio.v1.TimeoutNow.$Properties|null);

                /** Envelope readIndex */
                readIndex?: (raftio.v1.ReadIndex.$Properties|null);

                /** Envelope readIndexResponse */
                readIndexResponse?: (raftio.v1.ReadIndexResponse.$Properties|null);

                /** Envelope body */
                body?: ("requestVote"|"requestVoteResponse"|"appendEntries"|"appendEntriesResponse"|"heartbeat"|"heartbeatResponse"|"installSnapshot"|"installSnapshotResponse"|"timeoutNow"|"readIndex"|"readIndexResponse");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of an Envelope. */
            type $Shape = {
              from?: number|null;
              to?: number|null;
              term?: number|null;
              requestVote?: raftio.v1.RequestVote.$Shape|null;
              requestVoteResponse?: raftio.v1.RequestVoteResponse.$Shape|null;
              appendEntries?: raftio.v1.AppendEntries.$Shape|null;
              appendEntriesResponse?: raftio.v1.AppendEntriesResponse.$Shape|null;
              heartbeat?: raftio.v1.Heartbeat.$Shape|null;
              heartbeatResponse?: raftio.v1.HeartbeatResponse.$Shape|null;
              installSnapshot?: raftio.v1.InstallSnapshot.$Shape|null;
              installSnapshotResponse?: raftio.v1.InstallSnapshotResponse.$Shape|null;
              timeoutNow?: raftio.v1.TimeoutNow.$Shape|null;
              readIndex?: raftio.v1.ReadIndex.$Shape|null;
              readIndexResponse?: raftio.v1.ReadIndexResponse.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "requestVote"; requestVote: raftio.v1.RequestVote.$Shape; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "requestVoteResponse"; requestVote?: null; requestVoteResponse: raftio.v1.RequestVoteResponse.$Shape; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "appendEntries"; requestVote?: null; requestVoteResponse?: null; appendEntries: raftio.v1.AppendEntries.$Shape; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "appendEntriesResponse"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse: raftio.v1.AppendEntriesResponse.$Shape; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "heartbeat"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat: raftio.v1.Heartbeat.$Shape; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "heartbeatResponse"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse: raftio.v1.HeartbeatResponse.$Shape; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "installSnapshot"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot: raftio.v1.InstallSnapshot.$Shape; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "installSnapshotResponse"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse: raftio.v1.InstallSnapshotResponse.$Shape; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "timeoutNow"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow: raftio.v1.TimeoutNow.$Shape; readIndex?: null; readIndexResponse?: null }|{ body?: "readIndex"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex: raftio.v1.ReadIndex.$Shape; readIndexResponse?: null }|{ body?: "readIndexResponse"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse: raftio.v1.ReadIndexResponse.$Shape })
            );
        }

        /**
         * Properties of a ForwardProposal.
         * @deprecated Use raftio.v1.ForwardProposal.$Properties instead.
         */
        interface IForwardProposal extends raftio.v1.ForwardProposal.$Properties {
        }

        /** Represents a ForwardProposal. */
        class ForwardProposal {

            /**
             * Constructs a new ForwardProposal.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.ForwardProposal.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ForwardProposal id. */
            id: number;

            /** ForwardProposal command. */
            command: Uint8Array;

            /** ForwardProposal timeoutMs. */
            timeoutMs: number;

            /**
             * Creates a new ForwardProposal instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ForwardProposal instance
             */
            static create(properties: raftio.v1.ForwardProposal.$Shape): raftio.v1.ForwardProposal & raftio.v1.ForwardProposal.$Shape;
            static create(properties?: raftio.v1.ForwardProposal.$Properties): raftio.v1.ForwardProposal;

            /**
             * Encodes the specified ForwardProposal message. Does not implicitly {@link raftio.v1.ForwardProposal.verify|verify} messages.
             * @param message ForwardProposal message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.ForwardProposal.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ForwardProposal message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.ForwardProposal & raftio.v1.ForwardProposal.$Shape} ForwardProposal
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.ForwardProposal & raftio.v1.ForwardProposal.$Shape;
        }

        namespace ForwardProposal {

            /** Properties of a ForwardProposal. */
            interface $Properties {

                /** ForwardProposal id */
                id?: (number|null);

                /** ForwardProposal command */
                command?: (Uint8Array|null);

                /** ForwardProposal timeoutMs */
                timeoutMs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ForwardProposal. */
            type $Shape = raftio.v1.ForwardProposal.$Properties;
        }

        /**
         * Properties of a ForwardResult.
         * @deprecated Use raftio.v1.ForwardResult.$Properties instead.
         */
        interface IForwardResult extends raftio.v1.ForwardResult.$Properties {
        }

        /** Represents a ForwardResult. */
        class ForwardResult {

            /**
             * Constructs a new ForwardResult.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.ForwardResult.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ForwardResult id. */
            id: number;

            /** ForwardResult index. */
            index: number;

            /** ForwardResult term. */
            term: number;

            /** ForwardResult result. */
            result: Uint8Array;

            /** ForwardResult duplicate. */
            duplicate: boolean;

            /**
             * Creates a new ForwardResult instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ForwardResult instance
             */
            static create(properties: raftio.v1.ForwardResult.$Shape): raftio.v1.ForwardResult & raftio.v1.ForwardResult.$Shape;
            static create(properties?: raftio.v1.ForwardResult.$Properties): raftio.v1.ForwardResult;

            /**
             * Encodes the specified ForwardResult message. Does not implicitly {@link raftio.v1.ForwardResult.verify|verify} messages.
             * @param message ForwardResult message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.ForwardResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ForwardResult message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.ForwardResult & raftio.v1.ForwardResult.$Shape} ForwardResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.ForwardResult & raftio.v1.ForwardResult.$Shape;
        }

        namespace ForwardResult {

            /** Properties of a ForwardResult. */
            interface $Properties {

                /** ForwardResult id */
                id?: (number|null);

                /** ForwardResult index */
                index?: (number|null);

                /** ForwardResult term */
                term?: (number|null);

                /** ForwardResult result */
                result?: (Uint8Array|null);

                /** ForwardResult duplicate */
                duplicate?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ForwardResult. */
            type $Shape = raftio.v1.ForwardResult.$Properties;
        }

        /**
         * Properties of a ForwardError.
         * @deprecated Use raftio.v1.ForwardError.$Properties instead.
         */
        interface IForwardError extends raftio.v1.ForwardError.$Properties {
        }

        /** Represents a ForwardError. */
        class ForwardError {

            /**
             * Constructs a new ForwardError.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.ForwardError.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ForwardError id. */
            id: number;

            /** ForwardError code. */
            code: string;

            /** ForwardError message. */
            message: string;

            /** ForwardError leader. */
            leader: number;

            /** ForwardError name. */
            name: string;

            /**
             * Creates a new ForwardError instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ForwardError instance
             */
            static create(properties: raftio.v1.ForwardError.$Shape): raftio.v1.ForwardError & raftio.v1.ForwardError.$Shape;
            static create(properties?: raftio.v1.ForwardError.$Properties): raftio.v1.ForwardError;

            /**
             * Encodes the specified ForwardError message. Does not implicitly {@link raftio.v1.ForwardError.verify|verify} messages.
             * @param message ForwardError message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.ForwardError.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ForwardError message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.ForwardError & raftio.v1.ForwardError.$Shape} ForwardError
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.ForwardError & raftio.v1.ForwardError.$Shape;
        }

        namespace ForwardError {

            /** Properties of a ForwardError. */
            interface $Properties {

                /** ForwardError id */
                id?: (number|null);

                /** ForwardError code */
                code?: (string|null);

                /** ForwardError message */
                message?: (string|null);

                /** ForwardError leader */
                leader?: (number|null);

                /** ForwardError name */
                name?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ForwardError. */
            type $Shape = raftio.v1.ForwardError.$Properties;
        }

        /**
         * Properties of a DriverEnvelope.
         * @deprecated Use raftio.v1.DriverEnvelope.$Properties instead.
         */
        interface IDriverEnvelope extends raftio.v1.DriverEnvelope.$Properties {
        }

        /** Represents a DriverEnvelope. */
        class DriverEnvelope {

            /**
             * Constructs a new DriverEnvelope.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.DriverEnvelope.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** DriverEnvelope from. */
            from: number;

            /** DriverEnvelope to. */
            to: number;

            /** DriverEnvelope forwardProposal. */
            forwardProposal?: (raftio.v1.ForwardProposal.$Properties|null);

            /** DriverEnvelope forwardResult. */
            forwardResult?: (raftio.v1.ForwardResult.$Properties|null);

            /** DriverEnvelope forwardError. */
            forwardError?: (raftio.v1.ForwardError.$Properties|null);

            /** DriverEnvelope body. */
            body?: ("forwardProposal"|"forwardResult"|"forwardError");

            /**
             * Creates a new DriverEnvelope instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DriverEnvelope instance
             */
            static create(properties: raftio.v1.DriverEnvelope.$Shape): raftio.v1.DriverEnvelope & raftio.v1.DriverEnvelope.$Shape;
            static create(properties?: raftio.v1.DriverEnvelope.$Properties): raftio.v1.DriverEnvelope;

            /**
             * Encodes the specified DriverEnvelope message. Does not implicitly {@link raftio.v1.DriverEnvelope.verify|verify} messages.
             * @param message DriverEnvelope message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.DriverEnvelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DriverEnvelope message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.DriverEnvelope & raftio.v1.DriverEnvelope.$Shape} DriverEnvelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.DriverEnvelope & raftio.v1.DriverEnvelope.$Shape;
        }

        namespace DriverEnvelope {

            /** Properties of a DriverEnvelope. */
            interface $Properties {

                /** DriverEnvelope from */
                from?: (number|null);

                /** DriverEnvelope to */
                to?: (number|null);

                /** DriverEnvelope forwardProposal */
                forwardProposal?: (raftio.v1.ForwardProposal.$Properties|null);

                /** DriverEnvelope forwardResult */
                forwardResult?: (raftio.v1.ForwardResult.$Properties|null);

                /** DriverEnvelope forwardError */
                forwardError?: (raftio.v1.ForwardError.$Properties|null);

                /** DriverEnvelope body */
                body?: ("forwardProposal"|"forwardResult"|"forwardError");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a DriverEnvelope. */
            type $Shape = {
              from?: number|null;
              to?: number|null;
              forwardProposal?: raftio.v1.ForwardProposal.$Shape|null;
              forwardResult?: raftio.v1.ForwardResult.$Shape|null;
              forwardError?: raftio.v1.ForwardError.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; forwardProposal?: null; forwardResult?: null; forwardError?: null }|{ body?: "forwardProposal"; forwardProposal: raftio.v1.ForwardProposal.$Shape; forwardResult?: null; forwardError?: null }|{ body?: "forwardResult"; forwardProposal?: null; forwardResult: raftio.v1.ForwardResult.$Shape; forwardError?: null }|{ body?: "forwardError"; forwardProposal?: null; forwardResult?: null; forwardError: raftio.v1.ForwardError.$Shape })
            );
        }

        /**
         * Properties of a GroupItem.
         * @deprecated Use raftio.v1.GroupItem.$Properties instead.
         */
        interface IGroupItem extends raftio.v1.GroupItem.$Properties {
        }

        /** Represents a GroupItem. */
        class GroupItem {

            /**
             * Constructs a new GroupItem.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.GroupItem.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** GroupItem group. */
            group: number;

            /** GroupItem message. */
            message?: (raftio.v1.Envelope.$Properties|null);

            /** GroupItem driver. */
            driver?: (raftio.v1.DriverEnvelope.$Properties|null);

            /** GroupItem body. */
            body?: ("message"|"driver");

            /**
             * Creates a new GroupItem instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GroupItem instance
             */
            static create(properties: raftio.v1.GroupItem.$Shape): raftio.v1.GroupItem & raftio.v1.GroupItem.$Shape;
            static create(properties?: raftio.v1.GroupItem.$Properties): raftio.v1.GroupItem;

            /**
             * Encodes the specified GroupItem message. Does not implicitly {@link raftio.v1.GroupItem.verify|verify} messages.
             * @param message GroupItem message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.GroupItem.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GroupItem message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.GroupItem & raftio.v1.GroupItem.$Shape} GroupItem
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.GroupItem & raftio.v1.GroupItem.$Shape;
        }

        namespace GroupItem {

            /** Properties of a GroupItem. */
            interface $Properties {

                /** GroupItem group */
                group?: (number|null);

                /** GroupItem message */
                message?: (raftio.v1.Envelope.$Properties|null);

                /** GroupItem driver */
                driver?: (raftio.v1.DriverEnvelope.$Properties|null);

                /** GroupItem body */
                body?: ("message"|"driver");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a GroupItem. */
            type $Shape = {
              group?: number|null;
              message?: raftio.v1.Envelope.$Shape|null;
              driver?: raftio.v1.DriverEnvelope.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; message?: null; driver?: null }|{ body?: "message"; message: raftio.v1.Envelope.$Shape; driver?: null }|{ body?: "driver"; message?: null; driver: raftio.v1.DriverEnvelope.$Shape })
            );
        }

        /**
         * Properties of a GroupBatch.
         * @deprecated Use raftio.v1.GroupBatch.$Properties instead.
         */
        interface IGroupBatch extends raftio.v1.GroupBatch.$Properties {
        }

        /** Represents a GroupBatch. */
        class GroupBatch {

            /**
             * Constructs a new GroupBatch.
             * @param [properties] Properties to set
             */
            constructor(properties?: raftio.v1.GroupBatch.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** GroupBatch version. */
            version: number;

            /** GroupBatch items. */
            items: raftio.v1.GroupItem.$Properties[];

            /**
             * Creates a new GroupBatch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GroupBatch instance
             */
            static create(properties: raftio.v1.GroupBatch.$Shape): raftio.v1.GroupBatch & raftio.v1.GroupBatch.$Shape;
            static create(properties?: raftio.v1.GroupBatch.$Properties): raftio.v1.GroupBatch;

            /**
             * Encodes the specified GroupBatch message. Does not implicitly {@link raftio.v1.GroupBatch.verify|verify} messages.
             * @param message GroupBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: raftio.v1.GroupBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GroupBatch message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {raftio.v1.GroupBatch & raftio.v1.GroupBatch.$Shape} GroupBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): raftio.v1.GroupBatch & raftio.v1.GroupBatch.$Shape;
        }

        namespace GroupBatch {

            /** Properties of a GroupBatch. */
            interface $Properties {

                /** GroupBatch version */
                version?: (number|null);

                /** GroupBatch items */
                items?: (raftio.v1.GroupItem.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a GroupBatch. */
            type $Shape = {
              version?: number|null;
              items?: raftio.v1.GroupItem.$Shape[]|null;
              $unknowns?: Uint8Array[];
            };
        }
    }
}
