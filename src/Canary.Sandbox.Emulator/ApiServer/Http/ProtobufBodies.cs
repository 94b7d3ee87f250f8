using System.Text;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>k8s\0</c> + runtime.Unknown) for the few kinds kubectl's
/// generator commands send as protobuf (Namespace, ConfigMap, Secret) into the JSON object the JSON path produces.
/// Other kinds are refused with a 415 that says which kinds are supported.
/// </summary>
internal static class ProtobufBodies
{
    private static readonly byte[] Magic = [(byte)'k', (byte)'8', (byte)'s', 0];

    /// <summary>The core/v1 kinds accepted as protobuf bodies.</summary>
    public static readonly IReadOnlyList<string> SupportedKinds = ["Namespace", "ConfigMap", "Secret"];

    /// <summary>Decodes a protobuf request body into its JSON form, or throws a 400/415 ApiException.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("the body of the request could not be decoded: protobuf body does not start with the k8s envelope prefix");
        }

        string apiVersion = string.Empty, kind = string.Empty, contentEncoding = string.Empty;
        var raw = ReadOnlySpan<byte>.Empty;
        var reader = new WireReader(body[Magic.Length..]);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireReader.LengthDelimited:
                    var typeMeta = new WireReader(reader.ReadBytes());
                    while (typeMeta.Next(out var f, out var w))
                    {
                        switch (f)
                        {
                            case 1 when w == WireReader.LengthDelimited:
                                apiVersion = typeMeta.ReadString();
                                break;
                            case 2 when w == WireReader.LengthDelimited:
                                kind = typeMeta.ReadString();
                                break;
                            default:
                                typeMeta.Skip(w);
                                break;
                        }
                    }

                    break;
                case 2 when wire == WireReader.LengthDelimited:
                    raw = reader.ReadBytes();
                    break;
                case 3 when wire == WireReader.LengthDelimited:
                    contentEncoding = reader.ReadString();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (apiVersion != "v1" || !SupportedKinds.Contains(kind) || contentEncoding.Length > 0)
        {
            var what = string.IsNullOrEmpty(kind) ? "this object" : $"{kind} ({apiVersion})";
            throw new ApiException(
                415,
                "UnsupportedMediaType",
                $"the sandbox API server cannot decode {what} from application/vnd.kubernetes.protobuf; protobuf bodies are supported only for v1 {string.Join(", ", SupportedKinds)} - send the object as JSON or YAML instead, e.g. with `kubectl create -f` or `kubectl apply -f`");
        }

        var obj = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion };
        var body2 = new WireReader(raw);
        switch (kind)
        {
            case "Namespace":
                DecodeNamespace(ref body2, obj);
                break;
            case "ConfigMap":
                DecodeConfigMap(ref body2, obj);
                break;
            default:
                DecodeSecret(ref body2, obj);
                break;
        }

        return obj;
    }

    private static void DecodeNamespace(ref WireReader reader, JsonObject obj)
    {
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireReader.LengthDelimited:
                    obj["metadata"] = DecodeMeta(reader.ReadBytes());
                    break;
                case 2 when wire == WireReader.LengthDelimited:
                    var spec = new JsonObject();
                    var specReader = new WireReader(reader.ReadBytes());
                    JsonArray? finalizers = null;
                    while (specReader.Next(out var f, out var w))
                    {
                        if (f == 1 && w == WireReader.LengthDelimited)
                        {
                            (finalizers ??= []).Add(specReader.ReadString());
                        }
                        else
                        {
                            specReader.Skip(w);
                        }
                    }

                    if (finalizers is not null)
                    {
                        spec["finalizers"] = finalizers;
                    }

                    obj["spec"] = spec;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static void DecodeConfigMap(ref WireReader reader, JsonObject obj)
    {
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireReader.LengthDelimited:
                    obj["metadata"] = DecodeMeta(reader.ReadBytes());
                    break;
                case 2 when wire == WireReader.LengthDelimited:
                    AddEntry(MapOf(obj, "data"), reader.ReadBytes(), binary: false);
                    break;
                case 3 when wire == WireReader.LengthDelimited:
                    AddEntry(MapOf(obj, "binaryData"), reader.ReadBytes(), binary: true);
                    break;
                case 4 when wire == WireReader.Varint:
                    obj["immutable"] = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static void DecodeSecret(ref WireReader reader, JsonObject obj)
    {
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireReader.LengthDelimited:
                    obj["metadata"] = DecodeMeta(reader.ReadBytes());
                    break;
                case 2 when wire == WireReader.LengthDelimited:
                    AddEntry(MapOf(obj, "data"), reader.ReadBytes(), binary: true);
                    break;
                case 3 when wire == WireReader.LengthDelimited:
                    var type = reader.ReadString();
                    if (type.Length > 0)
                    {
                        obj["type"] = type;
                    }

                    break;
                case 4 when wire == WireReader.LengthDelimited:
                    AddEntry(MapOf(obj, "stringData"), reader.ReadBytes(), binary: false);
                    break;
                case 5 when wire == WireReader.Varint:
                    obj["immutable"] = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static JsonObject DecodeMeta(ReadOnlySpan<byte> bytes)
    {
        var meta = new JsonObject();
        var reader = new WireReader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            if (wire != WireReader.LengthDelimited)
            {
                reader.Skip(wire);
                continue;
            }

            switch (field)
            {
                case 1:
                    SetNonEmpty(meta, "name", reader.ReadString());
                    break;
                case 2:
                    SetNonEmpty(meta, "generateName", reader.ReadString());
                    break;
                case 3:
                    SetNonEmpty(meta, "namespace", reader.ReadString());
                    break;
                case 11:
                    AddEntry(MapOf(meta, "labels"), reader.ReadBytes(), binary: false);
                    break;
                case 12:
                    AddEntry(MapOf(meta, "annotations"), reader.ReadBytes(), binary: false);
                    break;
                case 14:
                    if (meta["finalizers"] is not JsonArray finalizers)
                    {
                        finalizers = [];
                        meta["finalizers"] = finalizers;
                    }

                    finalizers.Add(reader.ReadString());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return meta;
    }

    private static void SetNonEmpty(JsonObject target, string name, string value)
    {
        if (value.Length > 0)
        {
            target[name] = value;
        }
    }

    private static JsonObject MapOf(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var map = new JsonObject();
        parent[name] = map;
        return map;
    }

    // A map entry is a message {1 key, 2 value}; bytes values become base64 as in the JSON form.
    private static void AddEntry(JsonObject map, ReadOnlySpan<byte> entry, bool binary)
    {
        var key = string.Empty;
        var value = ReadOnlySpan<byte>.Empty;
        var reader = new WireReader(entry);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireReader.LengthDelimited:
                    key = reader.ReadString();
                    break;
                case 2 when wire == WireReader.LengthDelimited:
                    value = reader.ReadBytes();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        map[key] = binary ? Convert.ToBase64String(value) : Encoding.UTF8.GetString(value);
    }

    /// <summary>A minimal protobuf wire-format reader: varints and length-delimited fields; fixed32/64 and unknown fields are skipped.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        public const int Varint = 0;
        public const int Fixed64 = 1;
        public const int LengthDelimited = 2;
        public const int Fixed32 = 5;

        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        /// <summary>Reads the next field key; false at the end of the message.</summary>
        public bool Next(out int field, out int wireType)
        {
            if (_position >= _data.Length)
            {
                field = 0;
                wireType = 0;
                return false;
            }

            var key = ReadVarint();
            field = (int)(key >> 3);
            wireType = (int)(key & 7);
            if (field == 0)
            {
                throw Malformed("field number 0");
            }

            return true;
        }

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw Malformed("truncated varint");
                }

                var b = _data[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw Malformed("varint too long");
        }

        public ReadOnlySpan<byte> ReadBytes()
        {
            var length = ReadVarint();
            if (length > (ulong)(_data.Length - _position))
            {
                throw Malformed("truncated length-delimited field");
            }

            var slice = _data.Slice(_position, (int)length);
            _position += (int)length;
            return slice;
        }

        public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case Varint:
                    ReadVarint();
                    break;
                case Fixed64:
                    Advance(8);
                    break;
                case LengthDelimited:
                    ReadBytes();
                    break;
                case Fixed32:
                    Advance(4);
                    break;
                default:
                    // Groups (3, 4) are not used by Kubernetes types.
                    throw Malformed($"unsupported wire type {wireType}");
            }
        }

        private void Advance(int count)
        {
            if (_data.Length - _position < count)
            {
                throw Malformed("truncated fixed-width field");
            }

            _position += count;
        }

        private static ApiException Malformed(string why) =>
            ApiException.BadRequest($"the body of the request could not be decoded: malformed protobuf ({why})");
    }
}
