/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["raft-io-framing"] || ($protobuf.roots["raft-io-framing"] = {});

export const raftio = $root.raftio = (() => {

    /**
     * Namespace raftio.
     * @exports raftio
     * @namespace
     */
    const raftio = {};

    raftio.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof raftio
         * @namespace
         */
        const v1 = {};

        /**
         * EntryType enum.
         * @name raftio.v1.EntryType
         * @enum {number}
         * @property {number} ENTRY_TYPE_UNSPECIFIED=0 ENTRY_TYPE_UNSPECIFIED value
         * @property {number} ENTRY_TYPE_COMMAND=1 ENTRY_TYPE_COMMAND value
         * @property {number} ENTRY_TYPE_EMPTY=2 ENTRY_TYPE_EMPTY value
         * @property {number} ENTRY_TYPE_MEMBERSHIP=3 ENTRY_TYPE_MEMBERSHIP value
         */
        v1.EntryType = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "ENTRY_TYPE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ENTRY_TYPE_COMMAND"] = 1;
            values[valuesById[2] = "ENTRY_TYPE_EMPTY"] = 2;
            values[valuesById[3] = "ENTRY_TYPE_MEMBERSHIP"] = 3;
            return values;
        })();

        v1.Entry = (function() {

            /**
             * Properties of an Entry.
             * @typedef {Object} raftio.v1.Entry.$Properties
             * @property {number|null} [index] Entry index
             * @property {number|null} [term] Entry term
             * @property {raftio.v1.EntryType|null} [type] Entry type
             * @property {Uint8Array|null} [data] Entry data
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Entry.
             * @memberof raftio.v1
             * @interface IEntry
             * @augments raftio.v1.Entry.$Properties
             * @deprecated Use raftio.v1.Entry.$Properties instead.
             */

            /**
             * Shape of an Entry.
             * @typedef {raftio.v1.Entry.$Properties} raftio.v1.Entry.$Shape
             */

            /**
             * Constructs a new Entry.
             * @memberof raftio.v1
             * @classdesc Represents an Entry.
             * @constructor
             * @param {raftio.v1.Entry.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Entry = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Entry index.
             * @member {number} index
             * @memberof raftio.v1.Entry
             * @instance
             */
            Entry.prototype.index = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Entry term.
             * @member {number} term
             * @memberof raftio.v1.Entry
             * @instance
             */
            Entry.prototype.term = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Entry type.
             * @member {raftio.v1.EntryType} type
             * @memberof raftio.v1.Entry
             * @instance
             */
            Entry.prototype.type = 0;

            /**
             * Entry data.
             * @member {Uint8Array} data
             * @memberof raftio.v1.Entry
             * @instance
             */
            Entry.prototype.data = $util.newBuffer([]);

            /**
             * Creates a new Entry instance using the specified properties.
             * @function create
             * @memberof raftio.v1.Entry
             * @static
             * @param {raftio.v1.Entry.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.Entry} Entry instance
             * @type {{
             *   (properties: raftio.v1.Entry.$Shape): raftio.v1.Entry & raftio.v1.Entry.$Shape;
             *   (properties?: raftio.v1.Entry.$Properties): raftio.v1.Entry;
             * }}
             */
            Entry.create = function(properties) {
                return new Entry(properties);
            };

            /**
             * Encodes the specified Entry message. Does not implicitly {@link raftio.v1.Entry.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.Entry
             * @static
             * @param {raftio.v1.Entry.$Properties} message Entry message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Entry.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && (typeof message.index === "object" ? message.index.low || message.index.high : message.index !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.index);
                if (message.term != null && $Object.hasOwnProperty.call(message, "term") && (typeof message.term === "object" ? message.term.low || message.term.high : message.term !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.term);
                if (message.type != null && $Object.hasOwnProperty.call(message, "type") && message.type !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.type);
                if (message.data != null && $Object.hasOwnProperty.call(message, "data") && message.data.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.data);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Entry message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.Entry
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.Entry & raftio.v1.Entry.$Shape} Entry
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Entry.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.Entry();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.term = value;
                            else
                                delete message.term;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.type = value;
                            else
                                delete message.type;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.data = value;
                            else
                                delete message.data;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Entry;
        })();

        v1.MemberInfo = (function() {

            /**
             * Properties of a MemberInfo.
             * @typedef {Object} raftio.v1.MemberInfo.$Properties
             * @property {number|null} [id] MemberInfo id
             * @property {string|null} [address] MemberInfo address
             * @property {string|null} [metadata] MemberInfo metadata
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MemberInfo.
             * @memberof raftio.v1
             * @interface IMemberInfo
             * @augments raftio.v1.MemberInfo.$Properties
             * @deprecated Use raftio.v1.MemberInfo.$Properties instead.
             */

            /**
             * Shape of a MemberInfo.
             * @typedef {raftio.v1.MemberInfo.$Properties} raftio.v1.MemberInfo.$Shape
             */

            /**
             * Constructs a new MemberInfo.
             * @memberof raftio.v1
             * @classdesc Represents a MemberInfo.
             * @constructor
             * @param {raftio.v1.MemberInfo.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MemberInfo = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MemberInfo id.
             * @member {number} id
             * @memberof raftio.v1.MemberInfo
             * @instance
             */
            MemberInfo.prototype.id = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MemberInfo address.
             * @member {string} address
             * @memberof raftio.v1.MemberInfo
             * @instance
             */
            MemberInfo.prototype.address = "";

            /**
             * MemberInfo metadata.
             * @member {string} metadata
             * @memberof raftio.v1.MemberInfo
             * @instance
             */
            MemberInfo.prototype.metadata = "";

            /**
             * Creates a new MemberInfo instance using the specified properties.
             * @function create
             * @memberof raftio.v1.MemberInfo
             * @static
             * @param {raftio.v1.MemberInfo.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.MemberInfo} MemberInfo instance
             * @type {{
             *   (properties: raftio.v1.MemberInfo.$Shape): raftio.v1.MemberInfo & raftio.v1.MemberInfo.$Shape;
             *   (properties?: raftio.v1.MemberInfo.$Properties): raftio.v1.MemberInfo;
             * }}
             */
            MemberInfo.create = function(properties) {
                return new MemberInfo(properties);
            };

            /**
             * Encodes the specified MemberInfo message. Does not implicitly {@link raftio.v1.MemberInfo.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.MemberInfo
             * @static
             * @param {raftio.v1.MemberInfo.$Properties} message MemberInfo message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MemberInfo.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && (typeof message.id === "object" ? message.id.low || message.id.high : message.id !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.id);
                if (message.address != null && $Object.hasOwnProperty.call(message, "address") && message.address !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.address);
                if (message.metadata != null && $Object.hasOwnProperty.call(message, "metadata") && message.metadata !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.metadata);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MemberInfo message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.MemberInfo
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.MemberInfo & raftio.v1.MemberInfo.$Shape} MemberInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MemberInfo.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.MemberInfo();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.address = value;
                            else
                                delete message.address;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.metadata = value;
                            else
                                delete message.metadata;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return MemberInfo;
        })();

        v1.Membership = (function() {

            /**
             * Properties of a Membership.
             * @typedef {Object} raftio.v1.Membership.$Properties
             * @property {Array.<number>|null} [voters] Membership voters
             * @property {Array.<number>|null} [learners] Membership learners
             * @property {Array.<number>|null} [outgoingVoters] Membership outgoingVoters
             * @property {Array.<raftio.v1.MemberInfo.$Properties>|null} [info] Membership info
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Membership.
             * @memberof raftio.v1
             * @interface IMembership
             * @augments raftio.v1.Membership.$Properties
             * @deprecated Use raftio.v1.Membership.$Properties instead.
             */

            /**
             * Shape of a Membership.
             * @typedef {raftio.v1.Membership.$Properties} raftio.v1.Membership.$Shape
             */

            /**
             * Constructs a new Membership.
             * @memberof raftio.v1
             * @classdesc Represents a Membership.
             * @constructor
             * @param {raftio.v1.Membership.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Membership = function (properties) {
                this.voters = [];
                this.learners = [];
                this.outgoingVoters = [];
                this.info = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Membership voters.
             * @member {Array.<number>} voters
             * @memberof raftio.v1.Membership
             * @instance
             */
            Membership.prototype.voters = $util.emptyArray;

            /**
             * Membership learners.
             * @member {Array.<number>} learners
             * @memberof raftio.v1.Membership
             * @instance
             */
            Membership.prototype.learners = $util.emptyArray;

            /**
             * Membership outgoingVoters.
             * @member {Array.<number>} outgoingVoters
             * @memberof raftio.v1.Membership
             * @instance
             */
            Membership.prototype.outgoingVoters = $util.emptyArray;

            /**
             * Membership info.
             * @member {Array.<raftio.v1.MemberInfo.$Properties>} info
             * @memberof raftio.v1.Membership
             * @instance
             */
            Membership.prototype.info = $util.emptyArray;

            /**
             * Creates a new Membership instance using the specified properties.
             * @function create
             * @memberof raftio.v1.Membership
             * @static
             * @param {raftio.v1.Membership.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.Membership} Membership instance
             * @type {{
             *   (properties: raftio.v1.Membership.$Shape): raftio.v1.Membership & raftio.v1.Membership.$Shape;
             *   (properties?: raftio.v1.Membership.$Properties): raftio.v1.Membership;
             * }}
             */
            Membership.create = function(properties) {
                return new Membership(properties);
            };

            /**
             * Encodes the specified Membership message. Does not implicitly {@link raftio.v1.Membership.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.Membership
             * @static
             * @param {raftio.v1.Membership.$Properties} message Membership message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Membership.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.voters != null && message.voters.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).uint64s(message.voters);
                if (message.learners != null && message.learners.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).uint64s(message.learners);
                if (message.outgoingVoters != null && message.outgoingVoters.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).uint64s(message.outgoingVoters);
                if (message.info != null && message.info.length)
                    for (let i = 0; i < message.info.length; ++i)
                        $root.raftio.v1.MemberInfo.encode(message.info[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Membership message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.Membership
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.Membership & raftio.v1.Membership.$Shape} Membership
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Membership.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.Membership();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType === 2) {
                                if (!(message.voters && message.voters.length))
                                    message.voters = [];
                                reader.uint64s(message.voters);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.voters && message.voters.length))
                                message.voters = [];
                            message.voters.push(reader.uint64());
                            continue;
                        }
                    case 2: {
                            if (wireType === 2) {
                                if (!(message.learners && message.learners.length))
                                    message.learners = [];
                                reader.uint64s(message.learners);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.learners && message.learners.length))
                                message.learners = [];
                            message.learners.push(reader.uint64());
                            continue;
                        }
                    case 3: {
                            if (wireType === 2) {
                                if (!(message.outgoingVoters && message.outgoingVoters.length))
                                    message.outgoingVoters = [];
                                reader.uint64s(message.outgoingVoters);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.outgoingVoters && message.outgoingVoters.length))
                                message.outgoingVoters = [];
                            message.outgoingVoters.push(reader.uint64());
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.info && message.info.length))
                                message.info = [];
                            message.info.push($root.raftio.v1.MemberInfo.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Membership;
        })();

        v1.SnapshotMetadata = (function() {

            /**
             * Properties of a SnapshotMetadata.
             * @typedef {Object} raftio.v1.SnapshotMetadata.$Properties
             * @property {number|null} [index] SnapshotMetadata index
             * @property {number|null} [term] SnapshotMetadata term
             * @property {raftio.v1.Membership.$Properties|null} [membership] SnapshotMetadata membership
             * @property {number|null} [checksum] SnapshotMetadata checksum
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SnapshotMetadata.
             * @memberof raftio.v1
             * @interface ISnapshotMetadata
             * @augments raftio.v1.SnapshotMetadata.$Properties
             * @deprecated Use raftio.v1.SnapshotMetadata.$Properties instead.
             */

            /**
             * Shape of a SnapshotMetadata.
             * @typedef {raftio.v1.SnapshotMetadata.$Properties} raftio.v1.SnapshotMetadata.$Shape
             */

            /**
             * Constructs a new SnapshotMetadata.
             * @memberof raftio.v1
             * @classdesc Represents a SnapshotMetadata.
             * @constructor
             * @param {raftio.v1.SnapshotMetadata.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SnapshotMetadata = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SnapshotMetadata index.
             * @member {number} index
             * @memberof raftio.v1.SnapshotMetadata
             * @instance
             */
            SnapshotMetadata.prototype.index = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SnapshotMetadata term.
             * @member {number} term
             * @memberof raftio.v1.SnapshotMetadata
             * @instance
             */
            SnapshotMetadata.prototype.term = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SnapshotMetadata membership.
             * @member {raftio.v1.Membership.$Properties|null|undefined} membership
             * @memberof raftio.v1.SnapshotMetadata
             * @instance
             */
            SnapshotMetadata.prototype.membership = null;

            /**
             * SnapshotMetadata checksum.
             * @member {number|null|undefined} checksum
             * @memberof raftio.v1.SnapshotMetadata
             * @instance
             */
            SnapshotMetadata.prototype.checksum = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(SnapshotMetadata.prototype, "_checksum", {
                get: $util.oneOfGetter($oneOfFields = ["checksum"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new SnapshotMetadata instance using the specified properties.
             * @function create
             * @memberof raftio.v1.SnapshotMetadata
             * @static
             * @param {raftio.v1.SnapshotMetadata.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.SnapshotMetadata} SnapshotMetadata instance
             * @type {{
             *   (properties: raftio.v1.SnapshotMetadata.$Shape): raftio.v1.SnapshotMetadata & raftio.v1.SnapshotMetadata.$Shape;
             *   (properties?: raftio.v1.SnapshotMetadata.$Properties): raftio.v1.SnapshotMetadata;
             * }}
             */
            SnapshotMetadata.create = function(properties) {
                return new SnapshotMetadata(properties);
            };

            /**
             * Encodes the specified SnapshotMetadata message. Does not implicitly {@link raftio.v1.SnapshotMetadata.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.SnapshotMetadata
             * @static
             * @param {raftio.v1.SnapshotMetadata.$Properties} message SnapshotMetadata message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SnapshotMetadata.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && (typeof message.index === "object" ? message.index.low || message.index.high : message.index !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.index);
                if (message.term != null && $Object.hasOwnProperty.call(message, "term") && (typeof message.term === "object" ? message.term.low || message.term.high : message.term !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.term);
                if (message.membership != null && $Object.hasOwnProperty.call(message, "membership"))
                    $root.raftio.v1.Membership.encode(message.membership, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.checksum != null && $Object.hasOwnProperty.call(message, "checksum"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.checksum);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SnapshotMetadata message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.SnapshotMetadata
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.SnapshotMetadata & raftio.v1.SnapshotMetadata.$Shape} SnapshotMetadata
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SnapshotMetadata.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.SnapshotMetadata();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.term = value;
                            else
                                delete message.term;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.membership = $root.raftio.v1.Membership.decode(reader, reader.size(), $undefined, _depth + 1, message.membership);
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            message.checksum = reader.uint32();
                            message._checksum = "checksum";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SnapshotMetadata;
        })();

        v1.RequestVote = (function() {

            /**
             * Properties of a RequestVote.
             * @typedef {Object} raftio.v1.RequestVote.$Properties
             * @property {boolean|null} [preVote] RequestVote preVote
             * @property {number|null} [lastLogIndex] RequestVote lastLogIndex
             * @property {number|null} [lastLogTerm] RequestVote lastLogTerm
             * @property {boolean|null} [transfer] RequestVote transfer
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RequestVote.
             * @memberof raftio.v1
             * @interface IRequestVote
             * @augments raftio.v1.RequestVote.$Properties
             * @deprecated Use raftio.v1.RequestVote.$Properties instead.
             */

            /**
             * Shape of a RequestVote.
             * @typedef {raftio.v1.RequestVote.$Properties} raftio.v1.RequestVote.$Shape
             */

            /**
             * Constructs a new RequestVote.
             * @memberof raftio.v1
             * @classdesc Represents a RequestVote.
             * @constructor
             * @param {raftio.v1.RequestVote.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RequestVote = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RequestVote preVote.
             * @member {boolean} preVote
             * @memberof raftio.v1.RequestVote
             * @instance
             */
            RequestVote.prototype.preVote = false;

            /**
             * RequestVote lastLogIndex.
             * @member {number} lastLogIndex
             * @memberof raftio.v1.RequestVote
             * @instance
             */
            RequestVote.prototype.lastLogIndex = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * RequestVote lastLogTerm.
             * @member {number} lastLogTerm
             * @memberof raftio.v1.RequestVote
             * @instance
             */
            RequestVote.prototype.lastLogTerm = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * RequestVote transfer.
             * @member {boolean} transfer
             * @memberof raftio.v1.RequestVote
             * @instance
             */
            RequestVote.prototype.transfer = false;

            /**
             * Creates a new RequestVote instance using the specified properties.
             * @function create
             * @memberof raftio.v1.RequestVote
             * @static
             * @param {raftio.v1.RequestVote.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.RequestVote} RequestVote instance
             * @type {{
             *   (properties: raftio.v1.RequestVote.$Shape): raftio.v1.RequestVote & raftio.v1.RequestVote.$Shape;
             *   (properties?: raftio.v1.RequestVote.$Properties): raftio.v1.RequestVote;
             * }}
             */
            RequestVote.create = function(properties) {
                return new RequestVote(properties);
            };

            /**
             * Encodes the specified RequestVote message. Does not implicitly {@link raftio.v1.RequestVote.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.RequestVote
             * @static
             * @param {raftio.v1.RequestVote.$Properties} message RequestVote message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RequestVote.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.preVote != null && $Object.hasOwnProperty.call(message, "preVote") && message.preVote !== false)
                    writer.uint32(/* id 1, wireType 0 =*/8).bool(message.preVote);
                if (message.lastLogIndex != null && $Object.hasOwnProperty.call(message, "lastLogIndex") && (typeof message.lastLogIndex === "object" ? message.lastLogIndex.low || message.lastLogIndex.high : message.lastLogIndex !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.lastLogIndex);
                if (message.lastLogTerm != null && $Object.hasOwnProperty.call(message, "lastLogTerm") && (typeof message.lastLogTerm === "object" ? message.lastLogTerm.low || message.lastLogTerm.high : message.lastLogTerm !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.lastLogTerm);
                if (message.transfer != null && $Object.hasOwnProperty.call(message, "transfer") && message.transfer !== false)
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.transfer);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RequestVote message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.RequestVote
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.RequestVote & raftio.v1.RequestVote.$Shape} RequestVote
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RequestVote.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.RequestVote();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.preVote = value;
                            else
                                delete message.preVote;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.lastLogIndex = value;
                            else
                                delete message.lastLogIndex;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.lastLogTerm = value;
                            else
                                delete message.lastLogTerm;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.transfer = value;
                            else
                                delete message.transfer;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return RequestVote;
        })();

        v1.RequestVoteResponse = (function() {

            /**
             * Properties of a RequestVoteResponse.
             * @typedef {Object} raftio.v1.RequestVoteResponse.$Properties
             * @property {boolean|null} [preVote] RequestVoteResponse preVote
             * @property {boolean|null} [granted] RequestVoteResponse granted
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RequestVoteResponse.
             * @memberof raftio.v1
             * @interface IRequestVoteResponse
             * @augments raftio.v1.RequestVoteResponse.$Properties
             * @deprecated Use raftio.v1.RequestVoteResponse.$Properties instead.
             */

            /**
             * Shape of a RequestVoteResponse.
             * @typedef {raftio.v1.RequestVoteResponse.$Properties} raftio.v1.RequestVoteResponse.$Shape
             */

            /**
             * Constructs a new RequestVoteResponse.
             * @memberof raftio.v1
             * @classdesc Represents a RequestVoteResponse.
             * @constructor
             * @param {raftio.v1.RequestVoteResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RequestVoteResponse = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RequestVoteResponse preVote.
             * @member {boolean} preVote
             * @memberof raftio.v1.RequestVoteResponse
             * @instance
             */
            RequestVoteResponse.prototype.preVote = false;

            /**
             * RequestVoteResponse granted.
             * @member {boolean} granted
             * @memberof raftio.v1.RequestVoteResponse
             * @instance
             */
            RequestVoteResponse.prototype.granted = false;

            /**
             * Creates a new RequestVoteResponse instance using the specified properties.
             * @function create
             * @memberof raftio.v1.RequestVoteResponse
             * @static
             * @param {raftio.v1.RequestVoteResponse.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.RequestVoteResponse} RequestVoteResponse instance
             * @type {{
             *   (properties: raftio.v1.RequestVoteResponse.$Shape): raftio.v1.RequestVoteResponse & raftio.v1.RequestVoteResponse.$Shape;
             *   (properties?: raftio.v1.RequestVoteResponse.$Properties): raftio.v1.RequestVoteResponse;
             * }}
             */
            RequestVoteResponse.create = function(properties) {
                return new RequestVoteResponse(properties);
            };

            /**
             * Encodes the specified RequestVoteResponse message. Does not implicitly {@link raftio.v1.RequestVoteResponse.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.RequestVoteResponse
             * @static
             * @param {raftio.v1.RequestVoteResponse.$Properties} message RequestVoteResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RequestVoteResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.preVote != null && $Object.hasOwnProperty.call(message, "preVote") && message.preVote !== false)
                    writer.uint32(/* id 1, wireType 0 =*/8).bool(message.preVote);
                if (message.granted != null && $Object.hasOwnProperty.call(message, "granted") && message.granted !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.granted);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RequestVoteResponse message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.RequestVoteResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.RequestVoteResponse & raftio.v1.RequestVoteResponse.$Shape} RequestVoteResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RequestVoteResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.RequestVoteResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.preVote = value;
                            else
                                delete message.preVote;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.granted = value;
                            else
                                delete message.granted;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return RequestVoteResponse;
        })();

        v1.AppendEntries = (function() {

            /**
             * Properties of an AppendEntries.
             * @typedef {Object} raftio.v1.AppendEntries.$Properties
             * @property {number|null} [prevLogIndex] AppendEntries prevLogIndex
             * @property {number|null} [prevLogTerm] AppendEntries prevLogTerm
             * @property {Array.<raftio.v1.Entry.$Properties>|null} [entries] AppendEntries entries
             * @property {number|null} [commit] AppendEntries commit
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AppendEntries.
             * @memberof raftio.v1
             * @interface IAppendEntries
             * @augments raftio.v1.AppendEntries.$Properties
             * @deprecated Use raftio.v1.AppendEntries.$Properties instead.
             */

            /**
             * Shape of an AppendEntries.
             * @typedef {raftio.v1.AppendEntries.$Properties} raftio.v1.AppendEntries.$Shape
             */

            /**
             * Constructs a new AppendEntries.
             * @memberof raftio.v1
             * @classdesc Represents an AppendEntries.
             * @constructor
             * @param {raftio.v1.AppendEntries.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AppendEntries = function (properties) {
                this.entries = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AppendEntries prevLogIndex.
             * @member {number} prevLogIndex
             * @memberof raftio.v1.AppendEntries
             * @instance
             */
            AppendEntries.prototype.prevLogIndex = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AppendEntries prevLogTerm.
             * @member {number} prevLogTerm
             * @memberof raftio.v1.AppendEntries
             * @instance
             */
            AppendEntries.prototype.prevLogTerm = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AppendEntries entries.
             * @member {Array.<raftio.v1.Entry.$Properties>} entries
             * @memberof raftio.v1.AppendEntries
             * @instance
             */
            AppendEntries.prototype.entries = $util.emptyArray;

            /**
             * AppendEntries commit.
             * @member {number} commit
             * @memberof raftio.v1.AppendEntries
             * @instance
             */
            AppendEntries.prototype.commit = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new AppendEntries instance using the specified properties.
             * @function create
             * @memberof raftio.v1.AppendEntries
             * @static
             * @param {raftio.v1.AppendEntries.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.AppendEntries} AppendEntries instance
             * @type {{
             *   (properties: raftio.v1.AppendEntries.$Shape): raftio.v1.AppendEntries & raftio.v1.AppendEntries.$Shape;
             *   (properties?: raftio.v1.AppendEntries.$Properties): raftio.v1.AppendEntries;
             * }}
             */
            AppendEntries.create = function(properties) {
                return new AppendEntries(properties);
            };

            /**
             * Encodes the specified AppendEntries message. Does not implicitly {@link raftio.v1.AppendEntries.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.AppendEntries
             * @static
             * @param {raftio.v1.AppendEntries.$Properties} message AppendEntries message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AppendEntries.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.prevLogIndex != null && $Object.hasOwnProperty.call(message, "prevLogIndex") && (typeof message.prevLogIndex === "object" ? message.prevLogIndex.low || message.prevLogIndex.high : message.prevLogIndex !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.prevLogIndex);
                if (message.prevLogTerm != null && $Object.hasOwnProperty.call(message, "prevLogTerm") && (typeof message.prevLogTerm === "object" ? message.prevLogTerm.low || message.prevLogTerm.high : message.prevLogTerm !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.prevLogTerm);
                if (message.entries != null && message.entries.length)
                    for (let i = 0; i < message.entries.length; ++i)
                        $root.raftio.v1.Entry.encode(message.entries[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.commit != null && $Object.hasOwnProperty.call(message, "commit") && (typeof message.commit === "object" ? message.commit.low || message.commit.high : message.commit !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.commit);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AppendEntries message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.AppendEntries
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.AppendEntries & raftio.v1.AppendEntries.$Shape} AppendEntries
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AppendEntries.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.AppendEntries();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.prevLogIndex = value;
                            else
                                delete message.prevLogIndex;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.prevLogTerm = value;
                            else
                                delete message.prevLogTerm;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.entries && message.entries.length))
                                message.entries = [];
                            message.entries.push($root.raftio.v1.Entry.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.commit = value;
                            else
                                delete message.commit;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AppendEntries;
        })();

        v1.AppendEntriesResponse = (function() {

            /**
             * Properties of an AppendEntriesResponse.
             * @typedef {Object} raftio.v1.AppendEntriesResponse.$Properties
             * @property {boolean|null} [success] AppendEntriesResponse success
             * @property {number|null} [index] AppendEntriesResponse index
             * @property {number|null} [hintIndex] AppendEntriesResponse hintIndex
             * @property {number|null} [hintTerm] AppendEntriesResponse hintTerm
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AppendEntriesResponse.
             * @memberof raftio.v1
             * @interface IAppendEntriesResponse
             * @augments raftio.v1.AppendEntriesResponse.$Properties
             * @deprecated Use raftio.v1.AppendEntriesResponse.$Properties instead.
             */

            /**
             * Shape of an AppendEntriesResponse.
             * @typedef {raftio.v1.AppendEntriesResponse.$Properties} raftio.v1.AppendEntriesResponse.$Shape
             */

            /**
             * Constructs a new AppendEntriesResponse.
             * @memberof raftio.v1
             * @classdesc Represents an AppendEntriesResponse.
             * @constructor
             * @param {raftio.v1.AppendEntriesResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AppendEntriesResponse = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AppendEntriesResponse success.
             * @member {boolean} success
             * @memberof raftio.v1.AppendEntriesResponse
             * @instance
             */
            AppendEntriesResponse.prototype.success = false;

            /**
             * AppendEntriesResponse index.
             * @member {number} index
             * @memberof raftio.v1.AppendEntriesResponse
             * @instance
             */
            AppendEntriesResponse.prototype.index = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AppendEntriesResponse hintIndex.
             * @member {number} hintIndex
             * @memberof raftio.v1.AppendEntriesResponse
             * @instance
             */
            AppendEntriesResponse.prototype.hintIndex = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AppendEntriesResponse hintTerm.
             * @member {number} hintTerm
             * @memberof raftio.v1.AppendEntriesResponse
             * @instance
             */
            AppendEntriesResponse.prototype.hintTerm = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new AppendEntriesResponse instance using the specified properties.
             * @function create
             * @memberof raftio.v1.AppendEntriesResponse
             * @static
             * @param {raftio.v1.AppendEntriesResponse.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.AppendEntriesResponse} AppendEntriesResponse instance
             * @type {{
             *   (properties: raftio.v1.AppendEntriesResponse.$Shape): raftio.v1.AppendEntriesResponse & raftio.v1.AppendEntriesResponse.$Shape;
             *   (properties?: raftio.v1.AppendEntriesResponse.$Properties): raftio.v1.AppendEntriesResponse;
             * }}
             */
            AppendEntriesResponse.create = function(properties) {
                return new AppendEntriesResponse(properties);
            };

            /**
             * Encodes the specified AppendEntriesResponse message. Does not implicitly {@link raftio.v1.AppendEntriesResponse.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.AppendEntriesResponse
             * @static
             * @param {raftio.v1.AppendEntriesResponse.$Properties} message AppendEntriesResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AppendEntriesResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.success != null && $Object.hasOwnProperty.call(message, "success") && message.success !== false)
                    writer.uint32(/* id 1, wireType 0 =*/8).bool(message.success);
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && (typeof message.index === "object" ? message.index.low || message.index.high : message.index !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.index);
                if (message.hintIndex != null && $Object.hasOwnProperty.call(message, "hintIndex") && (typeof message.hintIndex === "object" ? message.hintIndex.low || message.hintIndex.high : message.hintIndex !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.hintIndex);
                if (message.hintTerm != null && $Object.hasOwnProperty.call(message, "hintTerm") && (typeof message.hintTerm === "object" ? message.hintTerm.low || message.hintTerm.high : message.hintTerm !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.hintTerm);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AppendEntriesResponse message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.AppendEntriesResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.AppendEntriesResponse & raftio.v1.AppendEntriesResponse.$Shape} AppendEntriesResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AppendEntriesResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.AppendEntriesResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.success = value;
                            else
                                delete message.success;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.hintIndex = value;
                            else
                                delete message.hintIndex;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.hintTerm = value;
                            else
                                delete message.hintTerm;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AppendEntriesResponse;
        })();

        v1.Heartbeat = (function() {

            /**
             * Properties of a Heartbeat.
             * @typedef {Object} raftio.v1.Heartbeat.$Properties
             * @property {number|null} [commit] Heartbeat commit
             * @property {number|null} [context] Heartbeat context
             * @property {boolean|null} [quiesce] Heartbeat quiesce
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Heartbeat.
             * @memberof raftio.v1
             * @interface IHeartbeat
             * @augments raftio.v1.Heartbeat.$Properties
             * @deprecated Use raftio.v1.Heartbeat.$Properties instead.
             */

            /**
             * Shape of a Heartbeat.
             * @typedef {raftio.v1.Heartbeat.$Properties} raftio.v1.Heartbeat.$Shape
             */

            /**
             * Constructs a new Heartbeat.
             * @memberof raftio.v1
             * @classdesc Represents a Heartbeat.
             * @constructor
             * @param {raftio.v1.Heartbeat.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Heartbeat = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Heartbeat commit.
             * @member {number} commit
             * @memberof raftio.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.commit = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Heartbeat context.
             * @member {number} context
             * @memberof raftio.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.context = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Heartbeat quiesce.
             * @member {boolean} quiesce
             * @memberof raftio.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.quiesce = false;

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @function create
             * @memberof raftio.v1.Heartbeat
             * @static
             * @param {raftio.v1.Heartbeat.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.Heartbeat} Heartbeat instance
             * @type {{
             *   (properties: raftio.v1.Heartbeat.$Shape): raftio.v1.Heartbeat & raftio.v1.Heartbeat.$Shape;
             *   (properties?: raftio.v1.Heartbeat.$Properties): raftio.v1.Heartbeat;
             * }}
             */
            Heartbeat.create = function(properties) {
                return new Heartbeat(properties);
            };

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link raftio.v1.Heartbeat.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.Heartbeat
             * @static
             * @param {raftio.v1.Heartbeat.$Properties} message Heartbeat message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Heartbeat.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.commit != null && $Object.hasOwnProperty.call(message, "commit") && (typeof message.commit === "object" ? message.commit.low || message.commit.high : message.commit !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.commit);
                if (message.context != null && $Object.hasOwnProperty.call(message, "context") && (typeof message.context === "object" ? message.context.low || message.context.high : message.context !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.context);
                if (message.quiesce != null && $Object.hasOwnProperty.call(message, "quiesce") && message.quiesce !== false)
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.quiesce);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.Heartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.Heartbeat & raftio.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Heartbeat.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.Heartbeat();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.commit = value;
                            else
                                delete message.commit;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.context = value;
                            else
                                delete message.context;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.quiesce = value;
                            else
                                delete message.quiesce;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Heartbeat;
        })();

        v1.HeartbeatResponse = (function() {

            /**
             * Properties of a HeartbeatResponse.
             * @typedef {Object} raftio.v1.HeartbeatResponse.$Properties
             * @property {number|null} [context] HeartbeatResponse context
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a HeartbeatResponse.
             * @memberof raftio.v1
             * @interface IHeartbeatResponse
             * @augments raftio.v1.HeartbeatResponse.$Properties
             * @deprecated Use raftio.v1.HeartbeatResponse.$Properties instead.
             */

            /**
             * Shape of a HeartbeatResponse.
             * @typedef {raftio.v1.HeartbeatResponse.$Properties} raftio.v1.HeartbeatResponse.$Shape
             */

            /**
             * Constructs a new HeartbeatResponse.
             * @memberof raftio.v1
             * @classdesc Represents a HeartbeatResponse.
             * @constructor
             * @param {raftio.v1.HeartbeatResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const HeartbeatResponse = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * HeartbeatResponse context.
             * @member {number} context
             * @memberof raftio.v1.HeartbeatResponse
             * @instance
             */
            HeartbeatResponse.prototype.context = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new HeartbeatResponse instance using the specified properties.
             * @function create
             * @memberof raftio.v1.HeartbeatResponse
             * @static
             * @param {raftio.v1.HeartbeatResponse.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.HeartbeatResponse} HeartbeatResponse instance
             * @type {{
             *   (properties: raftio.v1.HeartbeatResponse.$Shape): raftio.v1.HeartbeatResponse & raftio.v1.HeartbeatResponse.$Shape;
             *   (properties?: raftio.v1.HeartbeatResponse.$Properties): raftio.v1.HeartbeatResponse;
             * }}
             */
            HeartbeatResponse.create = function(properties) {
                return new HeartbeatResponse(properties);
            };

            /**
             * Encodes the specified HeartbeatResponse message. Does not implicitly {@link raftio.v1.HeartbeatResponse.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.HeartbeatResponse
             * @static
             * @param {raftio.v1.HeartbeatResponse.$Properties} message HeartbeatResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HeartbeatResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.context != null && $Object.hasOwnProperty.call(message, "context") && (typeof message.context === "object" ? message.context.low || message.context.high : message.context !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.context);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a HeartbeatResponse message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.HeartbeatResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.HeartbeatResponse & raftio.v1.HeartbeatResponse.$Shape} HeartbeatResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HeartbeatResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.HeartbeatResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.context = value;
                            else
                                delete message.context;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return HeartbeatResponse;
        })();

        v1.InstallSnapshot = (function() {

            /**
             * Properties of an InstallSnapshot.
             * @typedef {Object} raftio.v1.InstallSnapshot.$Properties
             * @property {raftio.v1.SnapshotMetadata.$Properties|null} [metadata] InstallSnapshot metadata
             * @property {number|null} [offset] InstallSnapshot offset
             * @property {Uint8Array|null} [data] InstallSnapshot data
             * @property {boolean|null} [done] InstallSnapshot done
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an InstallSnapshot.
             * @memberof raftio.v1
             * @interface IInstallSnapshot
             * @augments raftio.v1.InstallSnapshot.$Properties
             * @deprecated Use raftio.v1.InstallSnapshot.$Properties instead.
             */

            /**
             * Shape of an InstallSnapshot.
             * @typedef {raftio.v1.InstallSnapshot.$Properties} raftio.v1.InstallSnapshot.$Shape
             */

            /**
             * Constructs a new InstallSnapshot.
             * @memberof raftio.v1
             * @classdesc Represents an InstallSnapshot.
             * @constructor
             * @param {raftio.v1.InstallSnapshot.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const InstallSnapshot = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * InstallSnapshot metadata.
             * @member {raftio.v1.SnapshotMetadata.$Properties|null|undefined} metadata
             * @memberof raftio.v1.InstallSnapshot
             * @instance
             */
            InstallSnapshot.prototype.metadata = null;

            /**
             * InstallSnapshot offset.
             * @member {number} offset
             * @memberof raftio.v1.InstallSnapshot
             * @instance
             */
            InstallSnapshot.prototype.offset = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * InstallSnapshot data.
             * @member {Uint8Array} data
             * @memberof raftio.v1.InstallSnapshot
             * @instance
             */
            InstallSnapshot.prototype.data = $util.newBuffer([]);

            /**
             * InstallSnapshot done.
             * @member {boolean} done
             * @memberof raftio.v1.InstallSnapshot
             * @instance
             */
            InstallSnapshot.prototype.done = false;

            /**
             * Creates a new InstallSnapshot instance using the specified properties.
             * @function create
             * @memberof raftio.v1.InstallSnapshot
             * @static
             * @param {raftio.v1.InstallSnapshot.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.InstallSnapshot} InstallSnapshot instance
             * @type {{
             *   (properties: raftio.v1.InstallSnapshot.$Shape): raftio.v1.InstallSnapshot & raftio.v1.InstallSnapshot.$Shape;
             *   (properties?: raftio.v1.InstallSnapshot.$Properties): raftio.v1.InstallSnapshot;
             * }}
             */
            InstallSnapshot.create = function(properties) {
                return new InstallSnapshot(properties);
            };

            /**
             * Encodes the specified InstallSnapshot message. Does not implicitly {@link raftio.v1.InstallSnapshot.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.InstallSnapshot
             * @static
             * @param {raftio.v1.InstallSnapshot.$Properties} message InstallSnapshot message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            InstallSnapshot.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.metadata != null && $Object.hasOwnProperty.call(message, "metadata"))
                    $root.raftio.v1.SnapshotMetadata.encode(message.metadata, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.offset != null && $Object.hasOwnProperty.call(message, "offset") && (typeof message.offset === "object" ? message.offset.low || message.offset.high : message.offset !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.offset);
                if (message.data != null && $Object.hasOwnProperty.call(message, "data") && message.data.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.data);
                if (message.done != null && $Object.hasOwnProperty.call(message, "done") && message.done !== false)
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.done);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an InstallSnapshot message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.InstallSnapshot
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.InstallSnapshot & raftio.v1.InstallSnapshot.$Shape} InstallSnapshot
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            InstallSnapshot.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.InstallSnapshot();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.metadata = $root.raftio.v1.SnapshotMetadata.decode(reader, reader.size(), $undefined, _depth + 1, message.metadata);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.offset = value;
                            else
                                delete message.offset;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.data = value;
                            else
                                delete message.data;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.done = value;
                            else
                                delete message.done;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return InstallSnapshot;
        })();

        v1.InstallSnapshotResponse = (function() {

            /**
             * Properties of an InstallSnapshotResponse.
             * @typedef {Object} raftio.v1.InstallSnapshotResponse.$Properties
             * @property {number|null} [snapshotIndex] InstallSnapshotResponse snapshotIndex
             * @property {number|null} [offset] InstallSnapshotResponse offset
             * @property {boolean|null} [done] InstallSnapshotResponse done
             * @property {boolean|null} [reject] InstallSnapshotResponse reject
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an InstallSnapshotResponse.
             * @memberof raftio.v1
             * @interface IInstallSnapshotResponse
             * @augments raftio.v1.InstallSnapshotResponse.$Properties
             * @deprecated Use raftio.v1.InstallSnapshotResponse.$Properties instead.
             */

            /**
             * Shape of an InstallSnapshotResponse.
             * @typedef {raftio.v1.InstallSnapshotResponse.$Properties} raftio.v1.InstallSnapshotResponse.$Shape
             */

            /**
             * Constructs a new InstallSnapshotResponse.
             * @memberof raftio.v1
             * @classdesc Represents an InstallSnapshotResponse.
             * @constructor
             * @param {raftio.v1.InstallSnapshotResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const InstallSnapshotResponse = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * InstallSnapshotResponse snapshotIndex.
             * @member {number} snapshotIndex
             * @memberof raftio.v1.InstallSnapshotResponse
             * @instance
             */
            InstallSnapshotResponse.prototype.snapshotIndex = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * InstallSnapshotResponse offset.
             * @member {number} offset
             * @memberof raftio.v1.InstallSnapshotResponse
             * @instance
             */
            InstallSnapshotResponse.prototype.offset = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * InstallSnapshotResponse done.
             * @member {boolean} done
             * @memberof raftio.v1.InstallSnapshotResponse
             * @instance
             */
            InstallSnapshotResponse.prototype.done = false;

            /**
             * InstallSnapshotResponse reject.
             * @member {boolean} reject
             * @memberof raftio.v1.InstallSnapshotResponse
             * @instance
             */
            InstallSnapshotResponse.prototype.reject = false;

            /**
             * Creates a new InstallSnapshotResponse instance using the specified properties.
             * @function create
             * @memberof raftio.v1.InstallSnapshotResponse
             * @static
             * @param {raftio.v1.InstallSnapshotResponse.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.InstallSnapshotResponse} InstallSnapshotResponse instance
             * @type {{
             *   (properties: raftio.v1.InstallSnapshotResponse.$Shape): raftio.v1.InstallSnapshotResponse & raftio.v1.InstallSnapshotResponse.$Shape;
             *   (properties?: raftio.v1.InstallSnapshotResponse.$Properties): raftio.v1.InstallSnapshotResponse;
             * }}
             */
            InstallSnapshotResponse.create = function(properties) {
                return new InstallSnapshotResponse(properties);
            };

            /**
             * Encodes the specified InstallSnapshotResponse message. Does not implicitly {@link raftio.v1.InstallSnapshotResponse.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.InstallSnapshotResponse
             * @static
             * @param {raftio.v1.InstallSnapshotResponse.$Properties} message InstallSnapshotResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            InstallSnapshotResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.snapshotIndex != null && $Object.hasOwnProperty.call(message, "snapshotIndex") && (typeof message.snapshotIndex === "object" ? message.snapshotIndex.low || message.snapshotIndex.high : message.snapshotIndex !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.snapshotIndex);
                if (message.offset != null && $Object.hasOwnProperty.call(message, "offset") && (typeof message.offset === "object" ? message.offset.low || message.offset.high : message.offset !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.offset);
                if (message.done != null && $Object.hasOwnProperty.call(message, "done") && message.done !== false)
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.done);
                if (message.reject != null && $Object.hasOwnProperty.call(message, "reject") && message.reject !== false)
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.reject);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an InstallSnapshotResponse message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.InstallSnapshotResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.InstallSnapshotResponse & raftio.v1.InstallSnapshotResponse.$Shape} InstallSnapshotResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            InstallSnapshotResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.InstallSnapshotResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.snapshotIndex = value;
                            else
                                delete message.snapshotIndex;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.offset = value;
                            else
                                delete message.offset;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.done = value;
                            else
                                delete message.done;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.reject = value;
                            else
                                delete message.reject;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return InstallSnapshotResponse;
        })();

        v1.TimeoutNow = (function() {

            /**
             * Properties of a TimeoutNow.
             * @typedef {Object} raftio.v1.TimeoutNow.$Properties
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a TimeoutNow.
             * @memberof raftio.v1
             * @interface ITimeoutNow
             * @augments raftio.v1.TimeoutNow.$Properties
             * @deprecated Use raftio.v1.TimeoutNow.$Properties instead.
             */

            /**
             * Shape of a TimeoutNow.
             * @typedef {raftio.v1.TimeoutNow.$Properties} raftio.v1.TimeoutNow.$Shape
             */

            /**
             * Constructs a new TimeoutNow.
             * @memberof raftio.v1
             * @classdesc Represents a TimeoutNow.
             * @constructor
             * @param {raftio.v1.TimeoutNow.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const TimeoutNow = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Creates a new TimeoutNow instance using the specified properties.
             * @function create
             * @memberof raftio.v1.TimeoutNow
             * @static
             * @param {raftio.v1.TimeoutNow.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.TimeoutNow} TimeoutNow instance
             * @type {{
             *   (properties: raftio.v1.TimeoutNow.$Shape): raftio.v1.TimeoutNow & raftio.v1.TimeoutNow.$Shape;
             *   (properties?: raftio.v1.TimeoutNow.$Properties): raftio.v1.TimeoutNow;
             * }}
             */
            TimeoutNow.create = function(properties) {
                return new TimeoutNow(properties);
            };

            /**
             * Encodes the specified TimeoutNow message. Does not implicitly {@link raftio.v1.TimeoutNow.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.TimeoutNow
             * @static
             * @param {raftio.v1.TimeoutNow.$Properties} message TimeoutNow message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TimeoutNow.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a TimeoutNow message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.TimeoutNow
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.TimeoutNow & raftio.v1.TimeoutNow.$Shape} TimeoutNow
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TimeoutNow.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.TimeoutNow();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    reader.skipType(tag & 7, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return TimeoutNow;
        })();

        v1.ReadIndex = (function() {

            /**
             * Properties of a ReadIndex.
             * @typedef {Object} raftio.v1.ReadIndex.$Properties
             * @property {string|null} [id] ReadIndex id
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReadIndex.
             * @memberof raftio.v1
             * @interface IReadIndex
             * @augments raftio.v1.ReadIndex.$Properties
             * @deprecated Use raftio.v1.ReadIndex.$Properties instead.
             */

            /**
             * Shape of a ReadIndex.
             * @typedef {raftio.v1.ReadIndex.$Properties} raftio.v1.ReadIndex.$Shape
             */

            /**
             * Constructs a new ReadIndex.
             * @memberof raftio.v1
             * @classdesc Represents a ReadIndex.
             * @constructor
             * @param {raftio.v1.ReadIndex.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReadIndex = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ReadIndex id.
             * @member {string} id
             * @memberof raftio.v1.ReadIndex
             * @instance
             */
            ReadIndex.prototype.id = "";

            /**
             * Creates a new ReadIndex instance using the specified properties.
             * @function create
             * @memberof raftio.v1.ReadIndex
             * @static
             * @param {raftio.v1.ReadIndex.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.ReadIndex} ReadIndex instance
             * @type {{
             *   (properties: raftio.v1.ReadIndex.$Shape): raftio.v1.ReadIndex & raftio.v1.ReadIndex.$Shape;
             *   (properties?: raftio.v1.ReadIndex.$Properties): raftio.v1.ReadIndex;
             * }}
             */
            ReadIndex.create = function(properties) {
                return new ReadIndex(properties);
            };

            /**
             * Encodes the specified ReadIndex message. Does not implicitly {@link raftio.v1.ReadIndex.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.ReadIndex
             * @static
             * @param {raftio.v1.ReadIndex.$Properties} message ReadIndex message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReadIndex.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ReadIndex message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.ReadIndex
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.ReadIndex & raftio.v1.ReadIndex.$Shape} ReadIndex
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReadIndex.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.ReadIndex();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ReadIndex;
        })();

        v1.ReadIndexResponse = (function() {

            /**
             * Properties of a ReadIndexResponse.
             * @typedef {Object} raftio.v1.ReadIndexResponse.$Properties
             * @property {string|null} [id] ReadIndexResponse id
             * @property {number|null} [index] ReadIndexResponse index
             * @property {boolean|null} [ok] ReadIndexResponse ok
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReadIndexResponse.
             * @memberof raftio.v1
             * @interface IReadIndexResponse
             * @augments raftio.v1.ReadIndexResponse.$Properties
             * @deprecated Use raftio.v1.ReadIndexResponse.$Properties instead.
             */

            /**
             * Shape of a ReadIndexResponse.
             * @typedef {raftio.v1.ReadIndexResponse.$Properties} raftio.v1.ReadIndexResponse.$Shape
             */

            /**
             * Constructs a new ReadIndexResponse.
             * @memberof raftio.v1
             * @classdesc Represents a ReadIndexResponse.
             * @constructor
             * @param {raftio.v1.ReadIndexResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReadIndexResponse = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ReadIndexResponse id.
             * @member {string} id
             * @memberof raftio.v1.ReadIndexResponse
             * @instance
             */
            ReadIndexResponse.prototype.id = "";

            /**
             * ReadIndexResponse index.
             * @member {number} index
             * @memberof raftio.v1.ReadIndexResponse
             * @instance
             */
            ReadIndexResponse.prototype.index = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ReadIndexResponse ok.
             * @member {boolean} ok
             * @memberof raftio.v1.ReadIndexResponse
             * @instance
             */
            ReadIndexResponse.prototype.ok = false;

            /**
             * Creates a new ReadIndexResponse instance using the specified properties.
             * @function create
             * @memberof raftio.v1.ReadIndexResponse
             * @static
             * @param {raftio.v1.ReadIndexResponse.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.ReadIndexResponse} ReadIndexResponse instance
             * @type {{
             *   (properties: raftio.v1.ReadIndexResponse.$Shape): raftio.v1.ReadIndexResponse & raftio.v1.ReadIndexResponse.$Shape;
             *   (properties?: raftio.v1.ReadIndexResponse.$Properties): raftio.v1.ReadIndexResponse;
             * }}
             */
            ReadIndexResponse.create = function(properties) {
                return new ReadIndexResponse(properties);
            };

            /**
             * Encodes the specified ReadIndexResponse message. Does not implicitly {@link raftio.v1.ReadIndexResponse.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.ReadIndexResponse
             * @static
             * @param {raftio.v1.ReadIndexResponse.$Properties} message ReadIndexResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReadIndexResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && (typeof message.index === "object" ? message.index.low || message.index.high : message.index !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.index);
                if (message.ok != null && $Object.hasOwnProperty.call(message, "ok") && message.ok !== false)
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.ok);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ReadIndexResponse message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.ReadIndexResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.ReadIndexResponse & raftio.v1.ReadIndexResponse.$Shape} ReadIndexResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReadIndexResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.ReadIndexResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.ok = value;
                            else
                                delete message.ok;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ReadIndexResponse;
        })();

        v1.Handshake = (function() {

            /**
             * Properties of a Handshake.
             * @typedef {Object} raftio.v1.Handshake.$Properties
             * @property {number|null} [from] Handshake from
             * @property {number|null} [to] Handshake to
             * @property {number|null} [protocolVersion] Handshake protocolVersion
             * @property {Uint8Array|null} [nonce] Handshake nonce
             * @property {Uint8Array|null} [proof] Handshake proof
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Handshake.
             * @memberof raftio.v1
             * @interface IHandshake
             * @augments raftio.v1.Handshake.$Properties
             * @deprecated Use raftio.v1.Handshake.$Properties instead.
             */

            /**
             * Shape of a Handshake.
             * @typedef {raftio.v1.Handshake.$Properties} raftio.v1.Handshake.$Shape
             */

            /**
             * Constructs a new Handshake.
             * @memberof raftio.v1
             * @classdesc Represents a Handshake.
             * @constructor
             * @param {raftio.v1.Handshake.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Handshake = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Handshake from.
             * @member {number} from
             * @memberof raftio.v1.Handshake
             * @instance
             */
            Handshake.prototype.from = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Handshake to.
             * @member {number} to
             * @memberof raftio.v1.Handshake
             * @instance
             */
            Handshake.prototype.to = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Handshake protocolVersion.
             * @member {number} protocolVersion
             * @memberof raftio.v1.Handshake
             * @instance
             */
            Handshake.prototype.protocolVersion = 0;

            /**
             * Handshake nonce.
             * @member {Uint8Array} nonce
             * @memberof raftio.v1.Handshake
             * @instance
             */
            Handshake.prototype.nonce = $util.newBuffer([]);

            /**
             * Handshake proof.
             * @member {Uint8Array} proof
             * @memberof raftio.v1.Handshake
             * @instance
             */
            Handshake.prototype.proof = $util.newBuffer([]);

            /**
             * Creates a new Handshake instance using the specified properties.
             * @function create
             * @memberof raftio.v1.Handshake
             * @static
             * @param {raftio.v1.Handshake.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.Handshake} Handshake instance
             * @type {{
             *   (properties: raftio.v1.Handshake.$Shape): raftio.v1.Handshake & raftio.v1.Handshake.$Shape;
             *   (properties?: raftio.v1.Handshake.$Properties): raftio.v1.Handshake;
             * }}
             */
            Handshake.create = function(properties) {
                return new Handshake(properties);
            };

            /**
             * Encodes the specified Handshake message. Does not implicitly {@link raftio.v1.Handshake.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.Handshake
             * @static
             * @param {raftio.v1.Handshake.$Properties} message Handshake message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Handshake.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.from != null && $Object.hasOwnProperty.call(message, "from") && (typeof message.from === "object" ? message.from.low || message.from.high : message.from !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.from);
                if (message.to != null && $Object.hasOwnProperty.call(message, "to") && (typeof message.to === "object" ? message.to.low || message.to.high : message.to !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.to);
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.protocolVersion);
                if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && message.nonce.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.nonce);
                if (message.proof != null && $Object.hasOwnProperty.call(message, "proof") && message.proof.length)
                    writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.proof);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Handshake message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.Handshake
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.Handshake & raftio.v1.Handshake.$Shape} Handshake
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Handshake.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.Handshake();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.from = value;
                            else
                                delete message.from;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.to = value;
                            else
                                delete message.to;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocolVersion = value;
                            else
                                delete message.protocolVersion;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.nonce = value;
                            else
                                delete message.nonce;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.proof = value;
                            else
                                delete message.proof;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Handshake;
        })();

        v1.Envelope = (function() {

            /**
             * Properties of an Envelope.
             * @typedef {Object} raftio.v1.Envelope.$Properties
             * @property {number|null} [from] Envelope from
             * @property {number|null} [to] Envelope to
             * @property {number|null} [term] Envelope term
             * @property {raftio.v1.RequestVote.$Properties|null} [requestVote] Envelope requestVote
             * @property {raftio.v1.RequestVoteResponse.$Properties|null} [requestVoteResponse] Envelope requestVoteResponse
             * @property {raftio.v1.AppendEntries.$Properties|null} [appendEntries] Envelope appendEntries
             * @property {raftio.v1.AppendEntriesResponse.$Properties|null} [appendEntriesResponse] Envelope appendEntriesResponse
             * @property {raftio.v1.Heartbeat.$Properties|null} [heartbeat] Envelope heartbeat
             * @property {raftio.v1.HeartbeatResponse.$Properties|null} [heartbeatResponse] Envelope heartbeatResponse
             * @property {raftio.v1.InstallSnapshot.$Properties|null} [installSnapshot] Envelope installSnapshot
             * @property {raftio.v1.InstallSnapshotResponse.$Properties|null} [installSnapshotResponse] Envelope installSnapshotResponse
             * @property {raftio.v1.TimeoutNow.$Properties|null} [timeoutNow] Envelope timeoutNow
             * @property {raftio.v1.ReadIndex.$Properties|null} [readIndex] Envelope readIndex
             * @property {raftio.v1.ReadIndexResponse.$Properties|null} [readIndexResponse] Envelope readIndexResponse
             * @property {"requestVote"|"requestVoteResponse"|"appendEntries"|"appendEntriesResponse"|"heartbeat"|"heartbeatResponse"|"installSnapshot"|"installSnapshotResponse"|"timeoutNow"|"readIndex"|"readIndexResponse"} [body] Envelope body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Envelope.
             * @memberof raftio.v1
             * @interface IEnvelope
             * @augments raftio.v1.Envelope.$Properties
             * @deprecated Use raftio.v1.Envelope.$Properties instead.
             */

            /**
             * Narrowed shape of an Envelope.
             * @typedef {{
             *   from?: number|null;
             *   to?: number|null;
             *   term?: number|null;
             *   requestVote?: raftio.v1.RequestVote.$Shape|null;
             *   requestVoteResponse?: raftio.v1.RequestVoteResponse.$Shape|null;
             *   appendEntries?: raftio.v1.AppendEntries.$Shape|null;
             *   appendEntriesResponse?: raftio.v1.AppendEntriesResponse.$Shape|null;
             *   heartbeat?: raftio.v1.Heartbeat.$Shape|null;
             *   heartbeatResponse?: raftio.v1.HeartbeatResponse.$Shape|null;
             *   installSnapshot?: raftio.v1.InstallSnapshot.$Shape|null;
             *   installSnapshotResponse?: raftio.v1.InstallSnapshotResponse.$Shape|null;
             *   timeoutNow?: raftio.v1.TimeoutNow.$Shape|null;
             *   readIndex?: raftio.v1.ReadIndex.$Shape|null;
             *   readIndexResponse?: raftio.v1.ReadIndexResponse.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "requestVote"; requestVote: raftio.v1.RequestVote.$Shape; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "requestVoteResponse"; requestVote?: null; requestVoteResponse: raftio.v1.RequestVoteResponse.$Shape; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "appendEntries"; requestVote?: null; requestVoteResponse?: null; appendEntries: raftio.v1.AppendEntries.$Shape; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "appendEntriesResponse"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse: raftio.v1.AppendEntriesResponse.$Shape; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "heartbeat"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat: raftio.v1.Heartbeat.$Shape; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "heartbeatResponse"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse: raftio.v1.HeartbeatResponse.$Shape; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "installSnapshot"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot: raftio.v1.InstallSnapshot.$Shape; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "installSnapshotResponse"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse: raftio.v1.InstallSnapshotResponse.$Shape; timeoutNow?: null; readIndex?: null; readIndexResponse?: null }|{ body?: "timeoutNow"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow: raftio.v1.TimeoutNow.$Shape; readIndex?: null; readIndexResponse?: null }|{ body?: "readIndex"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex: raftio.v1.ReadIndex.$Shape; readIndexResponse?: null }|{ body?: "readIndexResponse"; requestVote?: null; requestVoteResponse?: null; appendEntries?: null; appendEntriesResponse?: null; heartbeat?: null; heartbeatResponse?: null; installSnapshot?: null; installSnapshotResponse?: null; timeoutNow?: null; readIndex?: null; readIndexResponse: raftio.v1.ReadIndexResponse.$Shape })
             * )} raftio.v1.Envelope.$Shape
             */

            /**
             * Constructs a new Envelope.
             * @memberof raftio.v1
             * @classdesc Represents an Envelope.
             * @constructor
             * @param {raftio.v1.Envelope.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Envelope = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Envelope from.
             * @member {number} from
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.from = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Envelope to.
             * @member {number} to
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.to = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Envelope term.
             * @member {number} term
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.term = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Envelope requestVote.
             * @member {raftio.v1.RequestVote.$Properties|null|undefined} requestVote
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.requestVote = null;

            /**
             * Envelope requestVoteResponse.
             * @member {raftio.v1.RequestVoteResponse.$Properties|null|undefined} requestVoteResponse
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.requestVoteResponse = null;

            /**
             * Envelope appendEntries.
             * @member {raftio.v1.AppendEntries.$Properties|null|undefined} appendEntries
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.appendEntries = null;

            /**
             * Envelope appendEntriesResponse.
             * @member {raftio.v1.AppendEntriesResponse.$Properties|null|undefined} appendEntriesResponse
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.appendEntriesResponse = null;

            /**
             * Envelope heartbeat.
             * @member {raftio.v1.Heartbeat.$Properties|null|undefined} heartbeat
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.heartbeat = null;

            /**
             * Envelope heartbeatResponse.
             * @member {raftio.v1.HeartbeatResponse.$Properties|null|undefined} heartbeatResponse
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.heartbeatResponse = null;

            /**
             * Envelope installSnapshot.
             * @member {raftio.v1.InstallSnapshot.$Properties|null|undefined} installSnapshot
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.installSnapshot = null;

            /**
             * Envelope installSnapshotResponse.
             * @member {raftio.v1.InstallSnapshotResponse.$Properties|null|undefined} installSnapshotResponse
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.installSnapshotResponse = null;

            /**
             * Envelope timeoutNow.
             * @member {raftio.v1.TimeoutNow.$Properties|null|undefined} timeoutNow
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.timeoutNow = null;

            /**
             * Envelope readIndex.
             * @member {raftio.v1.ReadIndex.$Properties|null|undefined} readIndex
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.readIndex = null;

            /**
             * Envelope readIndexResponse.
             * @member {raftio.v1.ReadIndexResponse.$Properties|null|undefined} readIndexResponse
             * @memberof raftio.v1.Envelope
             * @instance
             */
            Envelope.prototype.readIndexResponse = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Envelope body.
             * @member {"requestVote"|"requestVoteResponse"|"appendEntries"|"appendEntriesResponse"|"heartbeat"|"heartbeatResponse"|"installSnapshot"|"installSnapshotResponse"|"timeoutNow"|"readIndex"|"readIndexResponse"|undefined} body
             * @memberof raftio.v1.Envelope
             * @instance
             */
            $Object.defineProperty(Envelope.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["requestVote", "requestVoteResponse", "appendEntries", "appendEntriesResponse", "heartbeat", "heartbeatResponse", "installSnapshot", "installSnapshotResponse", "timeoutNow", "readIndex", "readIndexResponse"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Envelope instance using the specified properties.
             * @function create
             * @memberof raftio.v1.Envelope
             * @static
             * @param {raftio.v1.Envelope.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.Envelope} Envelope instance
             * @type {{
             *   (properties: raftio.v1.Envelope.$Shape): raftio.v1.Envelope & raftio.v1.Envelope.$Shape;
             *   (properties?: raftio.v1.Envelope.$Properties): raftio.v1.Envelope;
             * }}
             */
            Envelope.create = function(properties) {
                return new Envelope(properties);
            };

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link raftio.v1.Envelope.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.Envelope
             * @static
             * @param {raftio.v1.Envelope.$Properties} message Envelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.from != null && $Object.hasOwnProperty.call(message, "from") && (typeof message.from === "object" ? message.from.low || message.from.high : message.from !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.from);
                if (message.to != null && $Object.hasOwnProperty.call(message, "to") && (typeof message.to === "object" ? message.to.low || message.to.high : message.to !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.to);
                if (message.term != null && $Object.hasOwnProperty.call(message, "term") && (typeof message.term === "object" ? message.term.low || message.term.high : message.term !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.term);
                if (message.requestVote != null && $Object.hasOwnProperty.call(message, "requestVote"))
                    $root.raftio.v1.RequestVote.encode(message.requestVote, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.requestVoteResponse != null && $Object.hasOwnProperty.call(message, "requestVoteResponse"))
                    $root.raftio.v1.RequestVoteResponse.encode(message.requestVoteResponse, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.appendEntries != null && $Object.hasOwnProperty.call(message, "appendEntries"))
                    $root.raftio.v1.AppendEntries.encode(message.appendEntries, writer.uint32(/* id 12, wireType 2 =*/98).fork(), _depth + 1).ldelim();
                if (message.appendEntriesResponse != null && $Object.hasOwnProperty.call(message, "appendEntriesResponse"))
                    $root.raftio.v1.AppendEntriesResponse.encode(message.appendEntriesResponse, writer.uint32(/* id 13, wireType 2 =*/106).fork(), _depth + 1).ldelim();
                if (message.heartbeat != null && $Object.hasOwnProperty.call(message, "heartbeat"))
                    $root.raftio.v1.Heartbeat.encode(message.heartbeat, writer.uint32(/* id 14, wireType 2 =*/114).fork(), _depth + 1).ldelim();
                if (message.heartbeatResponse != null && $Object.hasOwnProperty.call(message, "heartbeatResponse"))
                    $root.raftio.v1.HeartbeatResponse.encode(message.heartbeatResponse, writer.uint32(/* id 15, wireType 2 =*/122).fork(), _depth + 1).ldelim();
                if (message.installSnapshot != null && $Object.hasOwnProperty.call(message, "installSnapshot"))
                    $root.raftio.v1.InstallSnapshot.encode(message.installSnapshot, writer.uint32(/* id 16, wireType 2 =*/130).fork(), _depth + 1).ldelim();
                if (message.installSnapshotResponse != null && $Object.hasOwnProperty.call(message, "installSnapshotResponse"))
                    $root.raftio.v1.InstallSnapshotResponse.encode(message.installSnapshotResponse, writer.uint32(/* id 17, wireType 2 =*/138).fork(), _depth + 1).ldelim();
                if (message.timeoutNow != null && $Object.hasOwnProperty.call(message, "timeoutNow"))
                    $root.raftio.v1.TimeoutNow.encode(message.timeoutNow, writer.uint32(/* id 18, wireType 2 =*/146).fork(), _depth + 1).ldelim();
                if (message.readIndex != null && $Object.hasOwnProperty.call(message, "readIndex"))
                    $root.raftio.v1.ReadIndex.encode(message.readIndex, writer.uint32(/* id 19, wireType 2 =*/154).fork(), _depth + 1).ldelim();
                if (message.readIndexResponse != null && $Object.hasOwnProperty.call(message, "readIndexResponse"))
                    $root.raftio.v1.ReadIndexResponse.encode(message.readIndexResponse, writer.uint32(/* id 20, wireType 2 =*/162).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.Envelope & raftio.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.Envelope();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.from = value;
                            else
                                delete message.from;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.to = value;
                            else
                                delete message.to;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.term = value;
                            else
                                delete message.term;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            message.requestVote = $root.raftio.v1.RequestVote.decode(reader, reader.size(), $undefined, _depth + 1, message.requestVote);
                            message.body = "requestVote";
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            message.requestVoteResponse = $root.raftio.v1.RequestVoteResponse.decode(reader, reader.size(), $undefined, _depth + 1, message.requestVoteResponse);
                            message.body = "requestVoteResponse";
                            continue;
                        }
                    case 12: {
                            if (wireType !== 2)
                                break;
                            message.appendEntries = $root.raftio.v1.AppendEntries.decode(reader, reader.size(), $undefined, _depth + 1, message.appendEntries);
                            message.body = "appendEntries";
                            continue;
                        }
                    case 13: {
                            if (wireType !== 2)
                                break;
                            message.appendEntriesResponse = $root.raftio.v1.AppendEntriesResponse.decode(reader, reader.size(), $undefined, _depth + 1, message.appendEntriesResponse);
                            message.body = "appendEntriesResponse";
                            continue;
                        }
                    case 14: {
                            if (wireType !== 2)
                                break;
                            message.heartbeat = $root.raftio.v1.Heartbeat.decode(reader, reader.size(), $undefined, _depth + 1, message.heartbeat);
                            message.body = "heartbeat";
                            continue;
                        }
                    case 15: {
                            if (wireType !== 2)
                                break;
                            message.heartbeatResponse = $root.raftio.v1.HeartbeatResponse.decode(reader, reader.size(), $undefined, _depth + 1, message.heartbeatResponse);
                            message.body = "heartbeatResponse";
                            continue;
                        }
                    case 16: {
                            if (wireType !== 2)
                                break;
                            message.installSnapshot = $root.raftio.v1.InstallSnapshot.decode(reader, reader.size(), $undefined, _depth + 1, message.installSnapshot);
                            message.body = "installSnapshot";
                            continue;
                        }
                    case 17: {
                            if (wireType !== 2)
                                break;
                            message.installSnapshotResponse = $root.raftio.v1.InstallSnapshotResponse.decode(reader, reader.size(), $undefined, _depth + 1, message.installSnapshotResponse);
                            message.body = "installSnapshotResponse";
                            continue;
                        }
                    case 18: {
                            if (wireType !== 2)
                                break;
                            message.timeoutNow = $root.raftio.v1.TimeoutNow.decode(reader, reader.size(), $undefined, _depth + 1, message.timeoutNow);
                            message.body = "timeoutNow";
                            continue;
                        }
                    case 19: {
                            if (wireType !== 2)
                                break;
                            message.readIndex = $root.raftio.v1.ReadIndex.decode(reader, reader.size(), $undefined, _depth + 1, message.readIndex);
                            message.body = "readIndex";
                            continue;
                        }
                    case 20: {
                            if (wireType !== 2)
                                break;
                            message.readIndexResponse = $root.raftio.v1.ReadIndexResponse.decode(reader, reader.size(), $undefined, _depth + 1, message.readIndexResponse);
                            message.body = "readIndexResponse";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Envelope;
        })();

        v1.ForwardProposal = (function() {

            /**
             * Properties of a ForwardProposal.
             * @typedef {Object} raftio.v1.ForwardProposal.$Properties
             * @property {number|null} [id] ForwardProposal id
             * @property {Uint8Array|null} [command] ForwardProposal command
             * @property {number|null} [timeoutMs] ForwardProposal timeoutMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ForwardProposal.
             * @memberof raftio.v1
             * @interface IForwardProposal
             * @augments raftio.v1.ForwardProposal.$Properties
             * @deprecated Use raftio.v1.ForwardProposal.$Properties instead.
             */

            /**
             * Shape of a ForwardProposal.
             * @typedef {raftio.v1.ForwardProposal.$Properties} raftio.v1.ForwardProposal.$Shape
             */

            /**
             * Constructs a new ForwardProposal.
             * @memberof raftio.v1
             * @classdesc Represents a ForwardProposal.
             * @constructor
             * @param {raftio.v1.ForwardProposal.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ForwardProposal = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ForwardProposal id.
             * @member {number} id
             * @memberof raftio.v1.ForwardProposal
             * @instance
             */
            ForwardProposal.prototype.id = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ForwardProposal command.
             * @member {Uint8Array} command
             * @memberof raftio.v1.ForwardProposal
             * @instance
             */
            ForwardProposal.prototype.command = $util.newBuffer([]);

            /**
             * ForwardProposal timeoutMs.
             * @member {number} timeoutMs
             * @memberof raftio.v1.ForwardProposal
             * @instance
             */
            ForwardProposal.prototype.timeoutMs = 0;

            /**
             * Creates a new ForwardProposal instance using the specified properties.
             * @function create
             * @memberof raftio.v1.ForwardProposal
             * @static
             * @param {raftio.v1.ForwardProposal.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.ForwardProposal} ForwardProposal instance
             * @type {{
             *   (properties: raftio.v1.ForwardProposal.$Shape): raftio.v1.ForwardProposal & raftio.v1.ForwardProposal.$Shape;
             *   (properties?: raftio.v1.ForwardProposal.$Properties): raftio.v1.ForwardProposal;
             * }}
             */
            ForwardProposal.create = function(properties) {
                return new ForwardProposal(properties);
            };

            /**
             * Encodes the specified ForwardProposal message. Does not implicitly {@link raftio.v1.ForwardProposal.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.ForwardProposal
             * @static
             * @param {raftio.v1.ForwardProposal.$Properties} message ForwardProposal message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ForwardProposal.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && (typeof message.id === "object" ? message.id.low || message.id.high : message.id !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.id);
                if (message.command != null && $Object.hasOwnProperty.call(message, "command") && message.command.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.command);
                if (message.timeoutMs != null && $Object.hasOwnProperty.call(message, "timeoutMs") && message.timeoutMs !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.timeoutMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ForwardProposal message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.ForwardProposal
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.ForwardProposal & raftio.v1.ForwardProposal.$Shape} ForwardProposal
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ForwardProposal.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.ForwardProposal();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.command = value;
                            else
                                delete message.command;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.timeoutMs = value;
                            else
                                delete message.timeoutMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ForwardProposal;
        })();

        v1.ForwardResult = (function() {

            /**
             * Properties of a ForwardResult.
             * @typedef {Object} raftio.v1.ForwardResult.$Properties
             * @property {number|null} [id] ForwardResult id
             * @property {number|null} [index] ForwardResult index
             * @property {number|null} [term] ForwardResult term
             * @property {Uint8Array|null} [result] ForwardResult result
             * @property {boolean|null} [duplicate] ForwardResult duplicate
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ForwardResult.
             * @memberof raftio.v1
             * @interface IForwardResult
             * @augments raftio.v1.ForwardResult.$Properties
             * @deprecated Use raftio.v1.ForwardResult.$Properties instead.
             */

            /**
             * Shape of a ForwardResult.
             * @typedef {raftio.v1.ForwardResult.$Properties} raftio.v1.ForwardResult.$Shape
             */

            /**
             * Constructs a new ForwardResult.
             * @memberof raftio.v1
             * @classdesc Represents a ForwardResult.
             * @constructor
             * @param {raftio.v1.ForwardResult.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ForwardResult = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ForwardResult id.
             * @member {number} id
             * @memberof raftio.v1.ForwardResult
             * @instance
             */
            ForwardResult.prototype.id = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ForwardResult index.
             * @member {number} index
             * @memberof raftio.v1.ForwardResult
             * @instance
             */
            ForwardResult.prototype.index = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ForwardResult term.
             * @member {number} term
             * @memberof raftio.v1.ForwardResult
             * @instance
             */
            ForwardResult.prototype.term = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ForwardResult result.
             * @member {Uint8Array} result
             * @memberof raftio.v1.ForwardResult
             * @instance
             */
            ForwardResult.prototype.result = $util.newBuffer([]);

            /**
             * ForwardResult duplicate.
             * @member {boolean} duplicate
             * @memberof raftio.v1.ForwardResult
             * @instance
             */
            ForwardResult.prototype.duplicate = false;

            /**
             * Creates a new ForwardResult instance using the specified properties.
             * @function create
             * @memberof raftio.v1.ForwardResult
             * @static
             * @param {raftio.v1.ForwardResult.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.ForwardResult} ForwardResult instance
             * @type {{
             *   (properties: raftio.v1.ForwardResult.$Shape): raftio.v1.ForwardResult & raftio.v1.ForwardResult.$Shape;
             *   (properties?: raftio.v1.ForwardResult.$Properties): raftio.v1.ForwardResult;
             * }}
             */
            ForwardResult.create = function(properties) {
                return new ForwardResult(properties);
            };

            /**
             * Encodes the specified ForwardResult message. Does not implicitly {@link raftio.v1.ForwardResult.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.ForwardResult
             * @static
             * @param {raftio.v1.ForwardResult.$Properties} message ForwardResult message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ForwardResult.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && (typeof message.id === "object" ? message.id.low || message.id.high : message.id !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.id);
                if (message.index != null && $Object.hasOwnProperty.call(message, "index") && (typeof message.index === "object" ? message.index.low || message.index.high : message.index !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.index);
                if (message.term != null && $Object.hasOwnProperty.call(message, "term") && (typeof message.term === "object" ? message.term.low || message.term.high : message.term !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.term);
                if (message.result != null && $Object.hasOwnProperty.call(message, "result") && message.result.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.result);
                if (message.duplicate != null && $Object.hasOwnProperty.call(message, "duplicate") && message.duplicate !== false)
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.duplicate);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ForwardResult message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.ForwardResult
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.ForwardResult & raftio.v1.ForwardResult.$Shape} ForwardResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ForwardResult.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.ForwardResult();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.index = value;
                            else
                                delete message.index;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.term = value;
                            else
                                delete message.term;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.result = value;
                            else
                                delete message.result;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.duplicate = value;
                            else
                                delete message.duplicate;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ForwardResult;
        })();

        v1.ForwardError = (function() {

            /**
             * Properties of a ForwardError.
             * @typedef {Object} raftio.v1.ForwardError.$Properties
             * @property {number|null} [id] ForwardError id
             * @property {string|null} [code] ForwardError code
             * @property {string|null} [message] ForwardError message
             * @property {number|null} [leader] ForwardError leader
             * @property {string|null} [name] ForwardError name
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ForwardError.
             * @memberof raftio.v1
             * @interface IForwardError
             * @augments raftio.v1.ForwardError.$Properties
             * @deprecated Use raftio.v1.ForwardError.$Properties instead.
             */

            /**
             * Shape of a ForwardError.
             * @typedef {raftio.v1.ForwardError.$Properties} raftio.v1.ForwardError.$Shape
             */

            /**
             * Constructs a new ForwardError.
             * @memberof raftio.v1
             * @classdesc Represents a ForwardError.
             * @constructor
             * @param {raftio.v1.ForwardError.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ForwardError = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ForwardError id.
             * @member {number} id
             * @memberof raftio.v1.ForwardError
             * @instance
             */
            ForwardError.prototype.id = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ForwardError code.
             * @member {string} code
             * @memberof raftio.v1.ForwardError
             * @instance
             */
            ForwardError.prototype.code = "";

            /**
             * ForwardError message.
             * @member {string} message
             * @memberof raftio.v1.ForwardError
             * @instance
             */
            ForwardError.prototype.message = "";

            /**
             * ForwardError leader.
             * @member {number} leader
             * @memberof raftio.v1.ForwardError
             * @instance
             */
            ForwardError.prototype.leader = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ForwardError name.
             * @member {string} name
             * @memberof raftio.v1.ForwardError
             * @instance
             */
            ForwardError.prototype.name = "";

            /**
             * Creates a new ForwardError instance using the specified properties.
             * @function create
             * @memberof raftio.v1.ForwardError
             * @static
             * @param {raftio.v1.ForwardError.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.ForwardError} ForwardError instance
             * @type {{
             *   (properties: raftio.v1.ForwardError.$Shape): raftio.v1.ForwardError & raftio.v1.ForwardError.$Shape;
             *   (properties?: raftio.v1.ForwardError.$Properties): raftio.v1.ForwardError;
             * }}
             */
            ForwardError.create = function(properties) {
                return new ForwardError(properties);
            };

            /**
             * Encodes the specified ForwardError message. Does not implicitly {@link raftio.v1.ForwardError.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.ForwardError
             * @static
             * @param {raftio.v1.ForwardError.$Properties} message ForwardError message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ForwardError.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && (typeof message.id === "object" ? message.id.low || message.id.high : message.id !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.id);
                if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.code);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.message);
                if (message.leader != null && $Object.hasOwnProperty.call(message, "leader") && (typeof message.leader === "object" ? message.leader.low || message.leader.high : message.leader !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.leader);
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.name);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ForwardError message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.ForwardError
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.ForwardError & raftio.v1.ForwardError.$Shape} ForwardError
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ForwardError.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.ForwardError();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.code = value;
                            else
                                delete message.code;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.leader = value;
                            else
                                delete message.leader;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ForwardError;
        })();

        v1.DriverEnvelope = (function() {

            /**
             * Properties of a DriverEnvelope.
             * @typedef {Object} raftio.v1.DriverEnvelope.$Properties
             * @property {number|null} [from] DriverEnvelope from
             * @property {number|null} [to] DriverEnvelope to
             * @property {raftio.v1.ForwardProposal.$Properties|null} [forwardProposal] DriverEnvelope forwardProposal
             * @property {raftio.v1.ForwardResult.$Properties|null} [forwardResult] DriverEnvelope forwardResult
             * @property {raftio.v1.ForwardError.$Properties|null} [forwardError] DriverEnvelope forwardError
             * @property {"forwardProposal"|"forwardResult"|"forwardError"} [body] DriverEnvelope body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DriverEnvelope.
             * @memberof raftio.v1
             * @interface IDriverEnvelope
             * @augments raftio.v1.DriverEnvelope.$Properties
             * @deprecated Use raftio.v1.DriverEnvelope.$Properties instead.
             */

            /**
             * Narrowed shape of a DriverEnvelope.
             * @typedef {{
             *   from?: number|null;
             *   to?: number|null;
             *   forwardProposal?: raftio.v1.ForwardProposal.$Shape|null;
             *   forwardResult?: raftio.v1.ForwardResult.$Shape|null;
             *   forwardError?: raftio.v1.ForwardError.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; forwardProposal?: null; forwardResult?: null; forwardError?: null }|{ body?: "forwardProposal"; forwardProposal: raftio.v1.ForwardProposal.$Shape; forwardResult?: null; forwardError?: null }|{ body?: "forwardResult"; forwardProposal?: null; forwardResult: raftio.v1.ForwardResult.$Shape; forwardError?: null }|{ body?: "forwardError"; forwardProposal?: null; forwardResult?: null; forwardError: raftio.v1.ForwardError.$Shape })
             * )} raftio.v1.DriverEnvelope.$Shape
             */

            /**
             * Constructs a new DriverEnvelope.
             * @memberof raftio.v1
             * @classdesc Represents a DriverEnvelope.
             * @constructor
             * @param {raftio.v1.DriverEnvelope.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DriverEnvelope = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DriverEnvelope from.
             * @member {number} from
             * @memberof raftio.v1.DriverEnvelope
             * @instance
             */
            DriverEnvelope.prototype.from = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DriverEnvelope to.
             * @member {number} to
             * @memberof raftio.v1.DriverEnvelope
             * @instance
             */
            DriverEnvelope.prototype.to = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DriverEnvelope forwardProposal.
             * @member {raftio.v1.ForwardProposal.$Properties|null|undefined} forwardProposal
             * @memberof raftio.v1.DriverEnvelope
             * @instance
             */
            DriverEnvelope.prototype.forwardProposal = null;

            /**
             * DriverEnvelope forwardResult.
             * @member {raftio.v1.ForwardResult.$Properties|null|undefined} forwardResult
             * @memberof raftio.v1.DriverEnvelope
             * @instance
             */
            DriverEnvelope.prototype.forwardResult = null;

            /**
             * DriverEnvelope forwardError.
             * @member {raftio.v1.ForwardError.$Properties|null|undefined} forwardError
             * @memberof raftio.v1.DriverEnvelope
             * @instance
             */
            DriverEnvelope.prototype.forwardError = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * DriverEnvelope body.
             * @member {"forwardProposal"|"forwardResult"|"forwardError"|undefined} body
             * @memberof raftio.v1.DriverEnvelope
             * @instance
             */
            $Object.defineProperty(DriverEnvelope.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["forwardProposal", "forwardResult", "forwardError"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new DriverEnvelope instance using the specified properties.
             * @function create
             * @memberof raftio.v1.DriverEnvelope
             * @static
             * @param {raftio.v1.DriverEnvelope.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.DriverEnvelope} DriverEnvelope instance
             * @type {{
             *   (properties: raftio.v1.DriverEnvelope.$Shape): raftio.v1.DriverEnvelope & raftio.v1.DriverEnvelope.$Shape;
             *   (properties?: raftio.v1.DriverEnvelope.$Properties): raftio.v1.DriverEnvelope;
             * }}
             */
            DriverEnvelope.create = function(properties) {
                return new DriverEnvelope(properties);
            };

            /**
             * Encodes the specified DriverEnvelope message. Does not implicitly {@link raftio.v1.DriverEnvelope.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.DriverEnvelope
             * @static
             * @param {raftio.v1.DriverEnvelope.$Properties} message DriverEnvelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DriverEnvelope.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.from != null && $Object.hasOwnProperty.call(message, "from") && (typeof message.from === "object" ? message.from.low || message.from.high : message.from !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.from);
                if (message.to != null && $Object.hasOwnProperty.call(message, "to") && (typeof message.to === "object" ? message.to.low || message.to.high : message.to !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.to);
                if (message.forwardProposal != null && $Object.hasOwnProperty.call(message, "forwardProposal"))
                    $root.raftio.v1.ForwardProposal.encode(message.forwardProposal, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.forwardResult != null && $Object.hasOwnProperty.call(message, "forwardResult"))
                    $root.raftio.v1.ForwardResult.encode(message.forwardResult, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.forwardError != null && $Object.hasOwnProperty.call(message, "forwardError"))
                    $root.raftio.v1.ForwardError.encode(message.forwardError, writer.uint32(/* id 12, wireType 2 =*/98).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a DriverEnvelope message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.DriverEnvelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.DriverEnvelope & raftio.v1.DriverEnvelope.$Shape} DriverEnvelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DriverEnvelope.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.DriverEnvelope();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.from = value;
                            else
                                delete message.from;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.to = value;
                            else
                                delete message.to;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            message.forwardProposal = $root.raftio.v1.ForwardProposal.decode(reader, reader.size(), $undefined, _depth + 1, message.forwardProposal);
                            message.body = "forwardProposal";
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            message.forwardResult = $root.raftio.v1.ForwardResult.decode(reader, reader.size(), $undefined, _depth + 1, message.forwardResult);
                            message.body = "forwardResult";
                            continue;
                        }
                    case 12: {
                            if (wireType !== 2)
                                break;
                            message.forwardError = $root.raftio.v1.ForwardError.decode(reader, reader.size(), $undefined, _depth + 1, message.forwardError);
                            message.body = "forwardError";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return DriverEnvelope;
        })();

        v1.GroupItem = (function() {

            /**
             * Properties of a GroupItem.
             * @typedef {Object} raftio.v1.GroupItem.$Properties
             * @property {number|null} [group] GroupItem group
             * @property {raftio.v1.Envelope.$Properties|null} [message] GroupItem message
             * @property {raftio.v1.DriverEnvelope.$Properties|null} [driver] GroupItem driver
             * @property {"message"|"driver"} [body] GroupItem body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a GroupItem.
             * @memberof raftio.v1
             * @interface IGroupItem
             * @augments raftio.v1.GroupItem.$Properties
             * @deprecated Use raftio.v1.GroupItem.$Properties instead.
             */

            /**
             * Narrowed shape of a GroupItem.
             * @typedef {{
             *   group?: number|null;
             *   message?: raftio.v1.Envelope.$Shape|null;
             *   driver?: raftio.v1.DriverEnvelope.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; message?: null; driver?: null }|{ body?: "message"; message: raftio.v1.Envelope.$Shape; driver?: null }|{ body?: "driver"; message?: null; driver: raftio.v1.DriverEnvelope.$Shape })
             * )} raftio.v1.GroupItem.$Shape
             */

            /**
             * Constructs a new GroupItem.
             * @memberof raftio.v1
             * @classdesc Represents a GroupItem.
             * @constructor
             * @param {raftio.v1.GroupItem.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const GroupItem = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * GroupItem group.
             * @member {number} group
             * @memberof raftio.v1.GroupItem
             * @instance
             */
            GroupItem.prototype.group = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * GroupItem message.
             * @member {raftio.v1.Envelope.$Properties|null|undefined} message
             * @memberof raftio.v1.GroupItem
             * @instance
             */
            GroupItem.prototype.message = null;

            /**
             * GroupItem driver.
             * @member {raftio.v1.DriverEnvelope.$Properties|null|undefined} driver
             * @memberof raftio.v1.GroupItem
             * @instance
             */
            GroupItem.prototype.driver = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * GroupItem body.
             * @member {"message"|"driver"|undefined} body
             * @memberof raftio.v1.GroupItem
             * @instance
             */
            $Object.defineProperty(GroupItem.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["message", "driver"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new GroupItem instance using the specified properties.
             * @function create
             * @memberof raftio.v1.GroupItem
             * @static
             * @param {raftio.v1.GroupItem.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.GroupItem} GroupItem instance
             * @type {{
             *   (properties: raftio.v1.GroupItem.$Shape): raftio.v1.GroupItem & raftio.v1.GroupItem.$Shape;
             *   (properties?: raftio.v1.GroupItem.$Properties): raftio.v1.GroupItem;
             * }}
             */
            GroupItem.create = function(properties) {
                return new GroupItem(properties);
            };

            /**
             * Encodes the specified GroupItem message. Does not implicitly {@link raftio.v1.GroupItem.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.GroupItem
             * @static
             * @param {raftio.v1.GroupItem.$Properties} message GroupItem message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GroupItem.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.group != null && $Object.hasOwnProperty.call(message, "group") && (typeof message.group === "object" ? message.group.low || message.group.high : message.group !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.group);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    $root.raftio.v1.Envelope.encode(message.message, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.driver != null && $Object.hasOwnProperty.call(message, "driver"))
                    $root.raftio.v1.DriverEnvelope.encode(message.driver, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a GroupItem message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.GroupItem
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.GroupItem & raftio.v1.GroupItem.$Shape} GroupItem
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GroupItem.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.GroupItem();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.group = value;
                            else
                                delete message.group;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.message = $root.raftio.v1.Envelope.decode(reader, reader.size(), $undefined, _depth + 1, message.message);
                            message.body = "message";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.driver = $root.raftio.v1.DriverEnvelope.decode(reader, reader.size(), $undefined, _depth + 1, message.driver);
                            message.body = "driver";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return GroupItem;
        })();

        v1.GroupBatch = (function() {

            /**
             * Properties of a GroupBatch.
             * @typedef {Object} raftio.v1.GroupBatch.$Properties
             * @property {number|null} [version] GroupBatch version
             * @property {Array.<raftio.v1.GroupItem.$Properties>|null} [items] GroupBatch items
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a GroupBatch.
             * @memberof raftio.v1
             * @interface IGroupBatch
             * @augments raftio.v1.GroupBatch.$Properties
             * @deprecated Use raftio.v1.GroupBatch.$Properties instead.
             */

            /**
             * Shape of a GroupBatch.
             * @typedef {{
             *   version?: number|null;
             *   items?: Array.<raftio.v1.GroupItem.$Shape>|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} raftio.v1.GroupBatch.$Shape
             */

            /**
             * Constructs a new GroupBatch.
             * @memberof raftio.v1
             * @classdesc Represents a GroupBatch.
             * @constructor
             * @param {raftio.v1.GroupBatch.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const GroupBatch = function (properties) {
                this.items = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * GroupBatch version.
             * @member {number} version
             * @memberof raftio.v1.GroupBatch
             * @instance
             */
            GroupBatch.prototype.version = 0;

            /**
             * GroupBatch items.
             * @member {Array.<raftio.v1.GroupItem.$Properties>} items
             * @memberof raftio.v1.GroupBatch
             * @instance
             */
            GroupBatch.prototype.items = $util.emptyArray;

            /**
             * Creates a new GroupBatch instance using the specified properties.
             * @function create
             * @memberof raftio.v1.GroupBatch
             * @static
             * @param {raftio.v1.GroupBatch.$Properties=} [properties] Properties to set
             * @returns {raftio.v1.GroupBatch} GroupBatch instance
             * @type {{
             *   (properties: raftio.v1.GroupBatch.$Shape): raftio.v1.GroupBatch & raftio.v1.GroupBatch.$Shape;
             *   (properties?: raftio.v1.GroupBatch.$Properties): raftio.v1.GroupBatch;
             * }}
             */
            GroupBatch.create = function(properties) {
                return new GroupBatch(properties);
            };

            /**
             * Encodes the specified GroupBatch message. Does not implicitly {@link raftio.v1.GroupBatch.verify|verify} messages.
             * @function encode
             * @memberof raftio.v1.GroupBatch
             * @static
             * @param {raftio.v1.GroupBatch.$Properties} message GroupBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GroupBatch.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.version);
                if (message.items != null && message.items.length)
                    for (let i = 0; i < message.items.length; ++i)
                        $root.raftio.v1.GroupItem.encode(message.items[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a GroupBatch message from the specified reader or buffer.
             * @function decode
             * @memberof raftio.v1.GroupBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {raftio.v1.GroupBatch & raftio.v1.GroupBatch.$Shape} GroupBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GroupBatch.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.raftio.v1.GroupBatch();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.items && message.items.length))
                                message.items = [];
                            message.items.push($root.raftio.v1.GroupItem.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return GroupBatch;
        })();

        return v1;
    })();

    return raftio;
})();

export {
  $root as default
};
