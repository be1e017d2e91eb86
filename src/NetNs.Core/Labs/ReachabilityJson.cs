using System.Net;
using System.Text;
using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// The JSON a matrix across hosts speaks with each host's <see cref="ReachabilityHost"/> (both ends run the same
/// NetNs version, checked when the sessions open). A kernel: {"bootId","limit4","limit6","counters"}. A
/// wave: {"count","timeout" (seconds),"forget":[[ns,address]…],"probes":[[id,ns,address]…]}. A wave's result:
/// {"start":counters,"end":counters,"forgotAll","results":[[id,success,status,detail,rttTicks]…]}. Counters are
/// [table full v4, table full v6, backlog drops]; one that cannot be read is null.
/// </summary>
internal static class ReachabilityJson
{
    public static string Write(ReachabilityKernel k) => Write(w =>
    {
        w.WriteString("bootId", k.BootId);
        w.WriteNumber("limit4", k.LimitV4);
        w.WriteNumber("limit6", k.LimitV6);
        Counters(w, "counters", k.Counters);
    });

    public static ReachabilityKernel ReadKernel(string json)
    {
        using var doc = Parse(json);
        var r = doc.RootElement;
        return new(r.GetProperty("bootId").GetString() ?? "", r.GetProperty("limit4").GetInt32(), r.GetProperty("limit6").GetInt32(), Counters(r.GetProperty("counters")));
    }

    public static string Write(ReachabilityWave wave) => Write(w =>
    {
        w.WriteNumber("count", wave.Count);
        w.WriteNumber("timeout", wave.Timeout.TotalSeconds);
        w.WriteStartArray("forget");
        foreach (var (ns, address) in wave.Forget)
        {
            w.WriteStartArray();
            w.WriteStringValue(ns);
            w.WriteStringValue(address.ToString());
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("probes");
        foreach (var p in wave.Probes)
        {
            w.WriteStartArray();
            w.WriteNumberValue(p.Id);
            w.WriteStringValue(p.Namespace);
            w.WriteStringValue(p.Address.ToString());
            w.WriteEndArray();
        }
        w.WriteEndArray();
    });

    public static ReachabilityWave ReadWave(string json)
    {
        using var doc = Parse(json);
        var r = doc.RootElement;
        var forget = r.GetProperty("forget").EnumerateArray().Select(e => (Text(e[0]), Address(e[1]))).ToList();
        var probes = r.GetProperty("probes").EnumerateArray().Select(e => new ReachabilityProbe(e[0].GetInt32(), Text(e[1]), Address(e[2]))).ToList();
        return new ReachabilityWave(forget, probes, r.GetProperty("count").GetInt32(), TimeSpan.FromSeconds(r.GetProperty("timeout").GetDouble()));
    }

    public static string Write(ReachabilityWaveResult result) => Write(w =>
    {
        Counters(w, "start", result.Start);
        Counters(w, "end", result.End);
        w.WriteBoolean("forgotAll", result.ForgotAll);
        w.WriteStartArray("results");
        foreach (var (id, c) in result.Results)
        {
            w.WriteStartArray();
            w.WriteNumberValue(id);
            w.WriteBooleanValue(c.Success);
            w.WriteStringValue(c.Status);
            if (c.Detail is null)
                w.WriteNullValue();
            else
                w.WriteStringValue(c.Detail);
            if (c.RoundTripTime is { } rtt)
                w.WriteNumberValue(rtt.Ticks);
            else
                w.WriteNullValue();
            w.WriteEndArray();
        }
        w.WriteEndArray();
    });

    public static ReachabilityWaveResult ReadResult(string json)
    {
        using var doc = Parse(json);
        var r = doc.RootElement;
        var results = new Dictionary<int, ConnectionTestResult>();
        foreach (var e in r.GetProperty("results").EnumerateArray())
        {
            results[e[0].GetInt32()] = new ConnectionTestResult
            {
                Success = e[1].GetBoolean(),
                PingSucceeded = e[1].GetBoolean(),
                Status = Text(e[2]),
                Detail = e[3].ValueKind == JsonValueKind.Null ? null : e[3].GetString(),
                RoundTripTime = e[4].ValueKind == JsonValueKind.Null ? null : TimeSpan.FromTicks(e[4].GetInt64()),
            };
        }
        return new ReachabilityWaveResult(results, Counters(r.GetProperty("start")), Counters(r.GetProperty("end")), r.GetProperty("forgotAll").GetBoolean());
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Counters(Utf8JsonWriter w, string name, ProbeCounters c)
    {
        w.WriteStartArray(name);
        foreach (long? v in new[] { c.TableFullV4, c.TableFullV6, c.BacklogDrops })
        {
            if (v is { } n)
                w.WriteNumberValue(n);
            else
                w.WriteNullValue();
        }
        w.WriteEndArray();
    }

    private static ProbeCounters Counters(JsonElement e)
    {
        static long? One(JsonElement x) => x.ValueKind == JsonValueKind.Null ? null : x.GetInt64();
        return new(One(e[0]), One(e[1]), One(e[2]));
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw NetNsException.Invalid("test lab", "wave", $"not a reachability wave's JSON: {e.Message}");
        }
    }

    private static string Text(JsonElement e) => e.GetString() ?? throw NetNsException.Invalid("test lab", "wave", "a name is null");

    private static IPAddress Address(JsonElement e) =>
        IPAddress.TryParse(Text(e), out var a) ? a : throw NetNsException.Invalid("test lab", "wave", $"'{Text(e)}' is not an address");
}
