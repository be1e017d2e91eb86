using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetNs.Core;

namespace NetNs.Bench;

/// <summary>
/// --capture: NetNs's capture (Start-NetNsCapture's core: AF_PACKET + recvmsg, pcapng file) against `tcpdump -w`
/// (libpcap's TPACKET_V3 ring), both capturing the same packets on the same interface in the same run. Two namespaces
/// on a veth pair; a UDP sender in the first paces 64-byte datagrams at each offered rate for a few seconds; both
/// capture on the sender's veth (egress: every datagram sent passes the taps, so captured + dropped = sent, exactly).
/// Both get a 4 MiB kernel buffer (tcpdump -B 4096) and write a file. Reports, per rate, what each captured and what
/// the kernel dropped; the highest rate with no drops is each one's throughput without drops.
/// </summary>
internal static partial class CaptureBench
{
    private const int Port = 9999;
    private static readonly int[] DefaultRates = [25_000, 50_000, 100_000, 200_000, 0]; // 0: as fast as the sender goes

    public static int Run(string prefix, double seconds, int repeat, CancellationToken ct)
    {
        string a = prefix + "cap-a", b = prefix + "cap-b";
        string dir = Path.Combine(Path.GetTempPath(), prefix + "capture");
        Directory.CreateDirectory(dir);
        try
        {
            NamedNamespaces.Create(a);
            NamedNamespaces.Create(b);
            Ip.Run(["-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b]);
            Ip.Run(["-n", a, "addr", "add", "198.18.90.1/24", "dev", "va"]);
            Ip.Run(["-n", b, "addr", "add", "198.18.90.2/24", "dev", "vb"]);
            Ip.Run(["-n", a, "link", "set", "va", "up"]);
            Ip.Run(["-n", b, "link", "set", "vb", "up"]);
            // a static neighbour: no ARP resolution to hold back the first datagrams
            Ip.Run(["-n", a, "neigh", "replace", "198.18.90.2", "lladdr", "02:00:00:00:00:02", "dev", "va"]);
            Console.WriteLine($"capture bench: 64-byte UDP datagrams from {a} to {b}, {seconds:0.#} s per rate, both capturing on va (egress), 4 MiB kernel buffers, files written");
            Console.WriteLine("(drops: the kernel's, PACKET_STATISTICS; NetNs keeps only 100000 packets in memory, the rest are in its file)");
            Console.WriteLine($"{"offered/s",10} {"sent/s",10} {"sent",9} | {"NetNs got",10} {"drops",8} | {"tcpdump got",11} {"drops",8}");
            var best = new Dictionary<string, double> { ["NetNs"] = 0, ["tcpdump"] = 0 };
            using var ns = NamespaceHandle.OpenName(a);
            for (int r = 0; r < repeat; r++)
            {
                foreach (int rate in DefaultRates)
                {
                    ct.ThrowIfCancellationRequested();
                    var row = Step(a, ns, rate, seconds, dir);
                    Console.WriteLine($"{(rate == 0 ? "max" : rate.ToString("N0", CultureInfo.InvariantCulture)),10} {row.SentRate,10:N0} {row.Sent,9:N0} | {row.NetNsGot,10:N0} {row.NetNsDrops,8:N0} | {row.TcpdumpGot,11:N0} {row.TcpdumpDrops,8:N0}");
                    if (row.NetNsGot + row.NetNsDrops != row.Sent)
                        Console.WriteLine($"  NetNs: got + drops = {row.NetNsGot + row.NetNsDrops:N0}, not the {row.Sent:N0} sent");
                    if (row.NetNsDrops == 0 && row.NetNsGot == row.Sent)
                        best["NetNs"] = Math.Max(best["NetNs"], row.SentRate);
                    if (row.TcpdumpDrops == 0 && row.TcpdumpGot == row.Sent)
                        best["tcpdump"] = Math.Max(best["tcpdump"], row.SentRate);
                }
            }
            Console.WriteLine($"throughput without drops (highest rate sent with every packet captured): NetNs {best["NetNs"]:N0}/s, tcpdump -w {best["tcpdump"]:N0}/s");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed record Row(long Sent, double SentRate, long NetNsGot, long NetNsDrops, long TcpdumpGot, long TcpdumpDrops);

    private static Row Step(string a, NamespaceHandle ns, int rate, double seconds, string dir)
    {
        string pcap = Path.Combine(dir, "tcpdump.pcap"), pcapng = Path.Combine(dir, "netns.pcapng");
        string filter = $"udp dst port {Port}";
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in (string[])["netns", "exec", a, "tcpdump", "-i", "va", "-n", "-B", "4096", "-w", pcap, filter])
            psi.ArgumentList.Add(arg);
        using var tcpdump = Process.Start(psi)!;
        var stderr = new System.Text.StringBuilder();
        using var listening = new ManualResetEventSlim();
        tcpdump.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (stderr)
                stderr.AppendLine(e.Data);
            if (e.Data.Contains("listening on", StringComparison.Ordinal))
                listening.Set();
        };
        tcpdump.BeginErrorReadLine();
        if (!listening.Wait(TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException("tcpdump did not start: " + stderr);
        NetNsCaptureSummary netns;
        long sent;
        double sentRate;
        using (var capture = NetNsCapture.Start([NamespaceRef.FromName(a)], ["va"], new CaptureOptions { Filter = filter, Path = pcapng }))
        {
            if (rate > 0)
            {
                (sent, sentRate) = Send(ns, rate, seconds);
            }
            else
            {
                // as fast as two sending threads go (one .NET sender tops out near 100k datagrams/s here)
                var senders = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() => Send(ns, 0, seconds), TaskCreationOptions.LongRunning)).ToArray();
                Task.WaitAll(senders);
                sent = senders.Sum(t => t.Result.Sent);
                sentRate = senders.Sum(t => t.Result.Rate);
            }
            // tcpdump's TPACKET_V3 ring hands a partly filled block over only after its 1 s block timeout: wait for it
            Thread.Sleep(1500);
            capture.Stop();
            netns = capture.Summary();
        }
        Process.Start("kill", ["-INT", tcpdump.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        if (!tcpdump.WaitForExit(10_000))
            tcpdump.Kill();
        tcpdump.WaitForExit();
        string text;
        lock (stderr)
            text = stderr.ToString();
        long got = Count(CapturedRegex(), text), dropped = Count(DroppedRegex(), text);
        File.Delete(pcap);
        File.Delete(pcapng);
        return new Row(sent, sentRate, netns.Packets, netns.KernelDrops, got, dropped);
    }

    // Paced by the clock: whenever behind schedule, send; when more than a millisecond ahead, sleep.
    private static (long Sent, double Rate) Send(NamespaceHandle ns, int rate, double seconds)
    {
        using var udp = NamespaceSockets.Open(ns, AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Connect(new IPEndPoint(IPAddress.Parse("198.18.90.2"), Port));
        var payload = new byte[64 - 14 - 20 - 8];
        long total = rate == 0 ? long.MaxValue : (long)(rate * seconds);
        var sw = Stopwatch.StartNew();
        long limit = (long)(seconds * Stopwatch.Frequency), sent = 0;
        while (sent < total && sw.ElapsedTicks < limit)
        {
            if (rate > 0)
            {
                long due = sent * Stopwatch.Frequency / rate;
                long ahead = due - sw.ElapsedTicks;
                if (ahead > Stopwatch.Frequency / 1000)
                {
                    Thread.Sleep(1);
                    continue;
                }
            }
            udp.Send(payload);
            sent++;
        }
        return (sent, sent / sw.Elapsed.TotalSeconds);
    }

    private static long Count(Regex regex, string text) =>
        regex.Match(text) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;

    [GeneratedRegex(@"(\d+) packets? captured")]
    private static partial Regex CapturedRegex();

    [GeneratedRegex(@"(\d+) packets? dropped by kernel")]
    private static partial Regex DroppedRegex();
}
