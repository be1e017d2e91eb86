namespace NetNs.Core.Tests;

/// <summary>
/// Converging, step by step, through random but valid changes of a small lab (fixed seeds, so a failure can be
/// replayed): after every deploy nothing is left to change and every node reaches every address it should, at once.
/// </summary>
public sealed class LabConvergeTests
{
    private sealed class Shape(string lab, Random rng)
    {
        private readonly Dictionary<string, List<string>> _members = new()
        {
            ["lan"] = ["r1", "h1", "h2"],
            ["dmz"] = ["r1", "h3"],
        };
        private readonly Dictionary<string, int> _octet = new() { ["lan"] = 80, ["dmz"] = 81 };
        private readonly Dictionary<string, int?> _v6 = new() { ["lan"] = null, ["dmz"] = null };
        private readonly Dictionary<string, int?> _mtu = new() { ["lan"] = null, ["dmz"] = null };
        private readonly Dictionary<string, string?> _iface = new() { ["lan"] = null, ["dmz"] = null };
        private readonly Dictionary<string, string> _pinned = [];
        private readonly List<(string A, string B, int Octet)> _links = [];
        private bool _h4;
        private int _step;

        private IEnumerable<string> Hosts => new[] { "h1", "h2", "h3" }.Concat(_h4 ? ["h4"] : []);

        /// <summary>Makes one random change; returns what it did.</summary>
        public string Change()
        {
            _step++;
            string net = rng.Next(2) == 0 ? "lan" : "dmz", other = net == "lan" ? "dmz" : "lan";
            switch (rng.Next(9))
            {
                case 0:
                    var movable = _members[net].Where(m => m != "r1").ToList();
                    if (movable.Count == 0)
                        goto default;
                    string h = movable[rng.Next(movable.Count)];
                    _members[net].Remove(h);
                    _members[other].Add(h);
                    _pinned.Remove(h);
                    return $"move {h} to {other}";
                case 1:
                    var free = Enumerable.Range(82, 18).Where(o => !_octet.ContainsValue(o)).ToList();
                    int octet = free[rng.Next(free.Count)];
                    _octet[net] = octet;
                    _pinned.Clear();
                    return $"{net} subnet 198.18.{octet}.0/24";
                case 2:
                    _v6[net] = _v6[net] is null ? 100 + rng.Next(800) : null;
                    return $"{net} IPv6 {(_v6[net] is int v ? $"2001:db8:{v}::/64" : "off")}";
                case 3:
                    _mtu[net] = new int?[] { null, 1400, 9000 }[rng.Next(3)];
                    return $"{net} mtu {_mtu[net]}";
                case 4:
                    _iface[net] = new[] { null, net == "lan" ? "eth1" : "eth2", net == "lan" ? "eth3" : "eth4" }[rng.Next(3)];
                    return $"{net} interface {_iface[net] ?? net}";
                case 5 when _links.Count < 2:
                    string a = Hosts.ElementAt(rng.Next(Hosts.Count())), b = rng.Next(2) == 0 ? "r1" : Hosts.First(x => x != a);
                    _links.Add((a, b, 120 + _step));
                    return $"link {a}-{b}";
                case 6 when _links.Count > 0:
                    _links.RemoveAt(0);
                    return "link removed";
                case 7:
                    _h4 = !_h4;
                    if (_h4)
                        _members["lan"].Add("h4");
                    else
                    {
                        _members["lan"].Remove("h4");
                        _members["dmz"].Remove("h4");
                        _pinned.Remove("h4");
                        _links.RemoveAll(l => l.A == "h4" || l.B == "h4");
                    }
                    return _h4 ? "node h4 added" : "node h4 removed";
                case 8:
                    var pinnable = _members[net].Where(m => m != "r1").ToList();
                    if (pinnable.Count == 0)
                        goto default;
                    _pinned[pinnable[rng.Next(pinnable.Count)]] = $"{200 + _step}";
                    return "pinned";
                default:
                    _mtu[net] = _mtu[net] is null ? 1400 : null;
                    return $"{net} mtu {_mtu[net]}";
            }
        }

        public Dictionary<string, object?> Definition()
        {
            var nodes = new Dictionary<string, object?> { ["r1"] = new Dictionary<string, object?> { ["Forwarding"] = true } };
            foreach (string h in Hosts)
                nodes[h] = null;
            var networks = new Dictionary<string, object?>();
            foreach (string net in new[] { "lan", "dmz" })
            {
                var subnets = new List<string> { $"198.18.{_octet[net]}.0/24" };
                if (_v6[net] is int v6)
                    subnets.Add($"2001:db8:{v6}::/64");
                var n = new Dictionary<string, object?>
                {
                    ["Subnet"] = subnets.ToArray(),
                    ["Members"] = _members[net].Select(m => _pinned.TryGetValue(m, out string? host) ? $"{m}=198.18.{_octet[net]}.{host}" : m).ToArray(),
                    ["Gateway"] = "r1",
                };
                if (_mtu[net] is int mtu)
                    n["Mtu"] = mtu;
                if (_iface[net] is string iface)
                    n["Interface"] = iface;
                networks[net] = n;
            }
            var d = new Dictionary<string, object?> { ["Name"] = lab, ["Nodes"] = nodes, ["Networks"] = networks };
            if (_links.Count > 0)
            {
                d["Links"] = _links.Select(l => (object)new Dictionary<string, object?>
                {
                    ["Endpoints"] = new[] { $"{l.A}:p{l.Octet}", $"{l.B}:q{l.Octet}" },
                    ["Subnet"] = $"198.18.{l.Octet}.0/30",
                }).ToArray();
            }
            return d;
        }
    }

    [RootTheory]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(23)]
    public void EveryDeployConvergesAtOnce(int seed)
    {
        using var lab = new LabDeploymentTests.TestLab();
        var shape = new Shape(lab.Name, new Random(seed));
        var done = new List<string> { "deploy" };
        LabDeployment.Deploy(LabDefinitionReader.Read(DefinitionValue.FromObject(shape.Definition())));
        for (int step = 0; step < 10; step++)
        {
            // Traffic first, so the neighbour caches hold what a change may make stale.
            _ = ReachabilityMatrix.TestAsync(RunningLabReader.Read(lab.Name), count: 1).GetAwaiter().GetResult();
            done.Add(shape.Change());
            var definition = LabDefinitionReader.Read(DefinitionValue.FromObject(shape.Definition()));
            LabDeployment.Deploy(definition);

            string history = string.Join(" | ", done);
            var left = LabDeployment.Plan(definition).Changes;
            Assert.True(left.Count == 0, $"seed {seed}, after {history}: still to do {string.Join("; ", left)}");
            var cells = ReachabilityMatrix.TestAsync(RunningLabReader.Read(lab.Name)).GetAwaiter().GetResult();
            var failed = cells.Where(c => !c.Success).ToList();
            Assert.True(failed.Count == 0, $"seed {seed}, after {history}: unreachable {string.Join("; ", failed)}");
        }
    }
}
