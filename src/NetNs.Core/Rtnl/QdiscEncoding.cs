using System.Runtime.InteropServices;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>
/// The TCA_OPTIONS of tbf and netem, written as iproute2's tc writes them (tc/q_tbf.c, tc/q_netem.c, tc/tc_core.c),
/// so a request is byte for byte what `tc qdisc replace … tbf|netem …` sends for the same values.
/// </summary>
internal static class QdiscEncoding
{
    /// <summary>The MTU tc assumes for a rate table when none is given (tc_calc_rtable).</summary>
    private const int DefaultMtu = 2047;

    /// <summary>RTM_NEWQDISC with NLM_F_CREATE|NLM_F_REPLACE: `tc qdisc replace dev IF (root|parent P) [handle H] KIND …`.</summary>
    public static MessageWriter Replace(int ifIndex, uint parent, uint handle, string kind, Action<MessageWriter> options)
    {
        var w = new MessageWriter(MessageType.NewQdisc, NetlinkFlags.Create | NetlinkFlags.Replace);
        w.Struct(new TcMsg { Index = ifIndex, Handle = handle, Parent = parent });
        w.String(Tca.Kind, kind);
        options(w);
        return w;
    }

    /// <summary>RTM_DELQDISC: `tc qdisc del dev IF root`.</summary>
    public static MessageWriter DeleteRoot(int ifIndex)
    {
        var w = new MessageWriter(MessageType.DelQdisc, NetlinkFlags.None);
        w.Struct(new TcMsg { Index = ifIndex, Parent = TcMsg.Root });
        return w;
    }

    /// <summary>
    /// tbf's options: TCA_TBF_PARMS (tc_tbf_qopt with the buffer in ticks), TCA_TBF_BURST, TCA_TBF_RATE64 above
    /// 2^32 - 1 bytes/s, TCA_TBF_RTAB (256 transmit times, cell_log 3). `tbf rate R burst B (latency L | limit N)`.
    /// </summary>
    public static void Tbf(MessageWriter w, TbfSpec spec, PschedClock clock)
    {
        ulong rate64 = spec.RateBitsPerSecond / 8;
        var opt = new TcTbfQopt();
        opt.Rate.Rate = rate64 >= 1UL << 32 ? uint.MaxValue : (uint)rate64;
        uint buffer = spec.BurstBytes;
        if (spec.LimitBytes is uint limit)
            opt.Limit = limit;
        else
        {
            double lim = rate64 * (double)(spec.LatencyMicroseconds ?? 0) / PschedClock.TimeUnitsPerSecond + buffer;
            opt.Limit = lim >= uint.MaxValue ? uint.MaxValue : (uint)lim;
        }
        var rtab = new uint[256];
        int cellLog = 0;
        while ((DefaultMtu >> cellLog) > 255)
            cellLog++;
        for (int i = 0; i < 256; i++)
            rtab[i] = clock.TransmitTime(opt.Rate.Rate, (uint)((i + 1) << cellLog));
        opt.Rate.CellAlign = -1;
        opt.Rate.CellLog = (byte)cellLog;
        opt.Rate.LinkLayer = Tca.LinkLayerEthernet;
        opt.Buffer = clock.TransmitTime(opt.Rate.Rate, buffer);

        using (w.Nested(Tca.Options))
        {
            w.Bytes(Tca.TbfParms, MemoryMarshal.AsBytes(new ReadOnlySpan<TcTbfQopt>(in opt)));
            w.U32(Tca.TbfBurst, buffer);
            if (rate64 >= 1UL << 32)
                w.Bytes(Tca.TbfRate64, BitConverter.GetBytes(rate64));
            w.Bytes(Tca.TbfRtab, MemoryMarshal.AsBytes(rtab.AsSpan()));
        }
    }

    /// <summary>
    /// netem's options: a raw tc_netem_qopt (latency and jitter in ticks), then TCA_NETEM_REORDER, TCA_NETEM_CORRUPT,
    /// TCA_NETEM_RATE64/RATE when given. `netem [limit N] [delay D [J]] [loss P%] [duplicate P%] [corrupt P%]
    /// [reorder P%] [rate R]`.
    /// </summary>
    public static void Netem(MessageWriter w, NetemSpec spec, PschedClock clock)
    {
        var opt = new TcNetemQopt
        {
            Latency = clock.TimeToTicks(spec.DelayMicroseconds),
            Jitter = clock.TimeToTicks(spec.JitterMicroseconds),
            Limit = spec.Limit,
            Loss = TcUnits.Probability(spec.LossPercent),
            Duplicate = TcUnits.Probability(spec.DuplicatePercent),
        };
        uint reorder = TcUnits.Probability(spec.ReorderPercent);
        if (reorder != 0)
        {
            if (opt.Latency == 0)
                throw NetNsException.Invalid("set link impairment", "reorder", "reordering needs a delay (netem sends the reordered packets at once and delays the others)");
            opt.Gap = 1; // tc: "if (opt.gap == 0) opt.gap = 1"
        }
        uint corrupt = TcUnits.Probability(spec.CorruptPercent);
        using (w.Nested(Tca.Options))
        {
            w.Struct(opt);
            if (reorder != 0)
                w.Bytes(Tca.NetemReorder, Probability(reorder));
            if (corrupt != 0)
                w.Bytes(Tca.NetemCorrupt, Probability(corrupt));
            if (spec.RateBitsPerSecond is ulong bits)
            {
                ulong rate64 = bits / 8;
                var rate = new TcNetemRate { Rate = rate64 >= 1UL << 32 ? uint.MaxValue : (uint)rate64 };
                if (rate64 >= 1UL << 32)
                    w.Bytes(Tca.NetemRate64, BitConverter.GetBytes(rate64));
                w.Bytes(Tca.NetemRate, MemoryMarshal.AsBytes(new ReadOnlySpan<TcNetemRate>(in rate)));
            }
        }
    }

    private static byte[] Probability(uint p)
    {
        var v = new TcNetemProbability { Probability = p };
        return MemoryMarshal.AsBytes(new ReadOnlySpan<TcNetemProbability>(in v)).ToArray();
    }

    /// <summary>Reads a RTM_NEWQDISC of a dump: kind, handle, parent, and tbf/netem options.</summary>
    public static bool Parse(in NetlinkHeader h, ReadOnlySpan<byte> payload, PschedClock clock, out (int Index, QdiscInfo Info) entry)
    {
        entry = default;
        if (h.Type != MessageType.NewQdisc)
            return false;
        var tc = TcMsg.Read(payload);
        string kind = "";
        ReadOnlySpan<byte> options = default;
        var attrs = new AttributeReader(payload[TcMsg.Size..]);
        while (attrs.Next(out ushort type, out var value))
        {
            if (type == Tca.Kind)
                kind = AttributeReader.String(value);
            else if (type == Tca.Options)
                options = value;
        }
        TbfState? tbf = null;
        NetemState? netem = null;
        if (kind == "tbf" && options.Length > 0)
            tbf = ParseTbf(options, clock);
        else if (kind == "netem" && options.Length >= TcNetemQopt.Size)
            netem = ParseNetem(options, clock);
        entry = (tc.Index, new QdiscInfo(kind, tc.Handle, tc.Parent, tbf, netem));
        return true;
    }

    private static TbfState? ParseTbf(ReadOnlySpan<byte> options, PschedClock clock)
    {
        TcTbfQopt? parms = null;
        ulong? rate64 = null;
        var a = new AttributeReader(options);
        while (a.Next(out ushort type, out var value))
        {
            if (type == Tca.TbfParms)
                parms = TcTbfQopt.Read(value);
            else if (type == Tca.TbfRate64 && value.Length == 8)
                rate64 = BitConverter.ToUInt64(value);
        }
        if (parms is not TcTbfQopt p)
            return null;
        ulong bytes = rate64 ?? p.Rate.Rate;
        return new TbfState(bytes * 8, clock.TransmitSize(bytes, p.Buffer), p.Limit);
    }

    private static NetemState ParseNetem(ReadOnlySpan<byte> options, PschedClock clock)
    {
        var q = TcNetemQopt.Read(options);
        double delay = clock.TicksToTime(q.Latency), jitter = clock.TicksToTime(q.Jitter);
        double reorder = 0, corrupt = 0;
        ulong? rate = null;
        var a = new AttributeReader(options[Align.Attribute(TcNetemQopt.Size)..]);
        while (a.Next(out ushort type, out var value))
        {
            switch (type)
            {
                case Tca.NetemReorder when value.Length >= 8:
                    reorder = TcUnits.Percent(BitConverter.ToUInt32(value));
                    break;
                case Tca.NetemCorrupt when value.Length >= 8:
                    corrupt = TcUnits.Percent(BitConverter.ToUInt32(value));
                    break;
                case Tca.NetemRate when value.Length >= 4 && rate is null:
                    rate = (ulong)BitConverter.ToUInt32(value) * 8;
                    break;
                case Tca.NetemRate64 when value.Length == 8:
                    rate = BitConverter.ToUInt64(value) * 8;
                    break;
                case Tca.NetemLatency64 when value.Length == 8:
                    delay = BitConverter.ToInt64(value) / 1000.0;
                    break;
                case Tca.NetemJitter64 when value.Length == 8:
                    jitter = BitConverter.ToInt64(value) / 1000.0;
                    break;
            }
        }
        return new NetemState(delay, jitter, TcUnits.Percent(q.Loss), TcUnits.Percent(q.Duplicate), corrupt, reorder, q.Limit, rate);
    }
}
