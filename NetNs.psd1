@{
    RootModule           = 'NetNs.dll'
    # The module's one version number, set here only: Directory.Build.props reads it into both assemblies'
    # version, Publish-PSResource into the package (./build.sh package checks the three agree).
    ModuleVersion        = '0.3.0'
    GUID                 = '6f1d7c0e-3c55-4a59-9a43-2f8f4f1b6a21'
    Author               = 'NetNs contributors'
    CompanyName          = 'NetNs'
    Copyright            = '(c) 2026 NetNs contributors. MIT License.'
    Description          = 'Linux network namespaces as first-class objects in PowerShell, with no ip or shell underneath: create namespaces, join them with veth pairs, bridges, VLANs and macvlans, give them addresses, routes, sysctls and nftables NAT (rtnetlink and libnftables in-process), run script blocks and programs inside them, test reachability in-process, find the namespaces of Docker, containerd, CRI-O and podman containers, capture packets, impair links, and deploy whole labs, also across hosts, from one definition. ip netns compatible. Linux only; root or CAP_SYS_ADMIN and CAP_NET_ADMIN to change namespaces.'
    # The lowest PowerShell the module is tested on (CI runs the pinned pwsh 7.6.9; the assemblies target net8.0).
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('NetNs.Format.ps1xml')
    # Pester 5 Should operators (-Reach, -NotReach), registered at import when Pester 5 is loaded.
    CmdletsToExport      = @(
        'New-NetNamespace', 'Get-NetNamespace', 'Remove-NetNamespace',
        'New-VethPair', 'New-NetNsLink', 'Get-NetNsLink', 'Set-NetNsLink', 'Remove-NetNsLink',
        'Add-BridgePort', 'Get-BridgePort', 'Remove-BridgePort',
        'New-NetNsAddress', 'Set-NetNsAddress', 'Get-NetNsAddress', 'Remove-NetNsAddress',
        'New-NetNsRoute', 'Get-NetNsRoute', 'Remove-NetNsRoute',
        'Get-NetNsSysctl', 'Set-NetNsSysctl',
        'Invoke-InNetNamespace', 'Enter-NetNamespace', 'Get-NetNsContainer', 'Test-NetNsConnection',
        'Add-NetNsNatRule', 'Get-NetNsNatRule', 'Remove-NetNsNatRule',
        'New-NetNsNetwork', 'Connect-NetNsNetwork', 'Get-NetNsNetwork', 'Disconnect-NetNsNetwork', 'Remove-NetNsNetwork',
        'Deploy-NetNsLab', 'Get-NetNsLab', 'Remove-NetNsLab', 'Test-NetNsLab', 'Export-NetNsLab', 'ConvertTo-NetNsLab', 'Use-NetNsLab',
        'Get-ContainerNetNs', 'Watch-NetNsEvent',
        'Set-NetNsLinkImpairment', 'Get-NetNsLinkImpairment', 'Clear-NetNsLinkImpairment',
        'Start-NetNsCapture', 'Stop-NetNsCapture', 'Get-NetNsPacket',
        'Measure-NetNsLink', 'Wait-NetNsCondition', 'Register-NetNsShouldOperator'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @('Invoke-NetNsCommand')
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            # No ProjectUri, LicenseUri or HelpInfoURI: the project has no public address yet (the package carries LICENSE).
            Tags         = @('Linux', 'Network', 'Networking', 'Namespace', 'netns', 'veth', 'bridge', 'vlan', 'netlink', 'rtnetlink',
                             'iproute2', 'nftables', 'NAT', 'container', 'Docker', 'lab', 'PSEdition_Core')
            ReleaseNotes = @'
0.3.0 (see CHANGELOG.md): labs across hosts: Test-NetNsLab drives the matrix's waves from one machine, forgetting the
neighbour entries on every host (a 200-node lab split over two hosts tests as fast as on one); nodes without a Host may
share networks and links with nodes on hosts (Vxlan = @{ Address }); a failed deploy removes the parts it made new on
the other hosts; Test-NetNsLab -From across hosts.
0.2.0 (see CHANGELOG.md): labs across hosts (Hosts/Host keys, PowerShell remoting over SSH, VXLAN; Deploy
-InstallModule); packet capture in namespaces (Start/Stop-NetNsCapture, Get-NetNsPacket, pcapng, tcpdump filters
through libpcap); Pester operators Should -Reach, -NotReach, -HaveCaptured; Wait-NetNsCondition; Measure-NetNsLink and
link statistics; Watch-NetNsEvent as an event source; link impairments on lab networks and members; one network
engine (Get-NetNsNetwork lists labs' networks); New-NetNsAddress; ConvertTo-NetNsLab, and Export-NetNsLab writing a
file; Ctrl+C stops long lab operations; views fit 80 columns. Breaking: LabReachability.RoundTrip is RoundTripTime;
Get-NetNsNetwork without -Namespace lists every network.
0.1.0 - first packaged release (see CHANGELOG.md).
Namespaces (New/Get/Remove-NetNamespace, /run/netns as ip netns does), links (veth pairs, bridges, dummy, VLAN,
macvlan), bridge ports, addresses, routes and sysctls through rtnetlink; Invoke-InNetNamespace and
Enter-NetNamespace run script blocks, programs and shells inside a namespace; Test-NetNsConnection (ICMP and TCP,
in-process); nftables NAT and forwarding rules through libnftables; lab networks (bridge, gateway, NAT in one call);
container discovery (Get-NetNsContainer, Get-ContainerNetNs); labs deployed, tested, exported and removed from one
.psd1/JSON definition (Deploy/Get/Test/Export/Remove/Use-NetNsLab). Format views also apply to deserialized objects
(jobs, remoting). Requires PowerShell 7.6 or later on Linux.
'@
        }
    }
}
