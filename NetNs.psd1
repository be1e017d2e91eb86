@{
    RootModule           = 'NetNs.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1d7c0e-3c55-4a59-9a43-2f8f4f1b6a21'
    Author               = 'NetNs contributors'
    CompanyName          = 'NetNs'
    Copyright            = '(c) NetNs contributors. MIT License.'
    Description          = 'Linux network namespaces as first-class objects: namespaces, veth pairs, bridges, addresses, routes and sysctls through rtnetlink, compatible with ip netns.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('NetNs.Format.ps1xml')
    CmdletsToExport      = @(
        'New-NetNamespace', 'Get-NetNamespace', 'Remove-NetNamespace',
        'New-VethPair', 'New-NetNsLink', 'Get-NetNsLink', 'Set-NetNsLink', 'Remove-NetNsLink',
        'Add-BridgePort', 'Get-BridgePort', 'Remove-BridgePort',
        'Set-NetNsAddress', 'Get-NetNsAddress', 'Remove-NetNsAddress',
        'New-NetNsRoute', 'Get-NetNsRoute', 'Remove-NetNsRoute',
        'Get-NetNsSysctl', 'Set-NetNsSysctl',
        'Invoke-InNetNamespace', 'Enter-NetNamespace', 'Get-NetNsContainer', 'Test-NetNsConnection',
        'Add-NetNsNatRule', 'Get-NetNsNatRule', 'Remove-NetNsNatRule',
        'New-NetNsNetwork', 'Connect-NetNsNetwork', 'Get-NetNsNetwork', 'Disconnect-NetNsNetwork', 'Remove-NetNsNetwork',
        'Deploy-NetNsLab', 'Get-NetNsLab', 'Remove-NetNsLab', 'Test-NetNsLab', 'Export-NetNsLab', 'Use-NetNsLab',
        'Get-ContainerNetNs', 'Watch-NetNsEvent',
        'Set-NetNsLinkImpairment', 'Get-NetNsLinkImpairment', 'Clear-NetNsLinkImpairment'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @('Invoke-NetNsCommand')
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Linux', 'Network', 'Namespace', 'netns', 'veth', 'bridge', 'netlink', 'iproute2', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/netns/NetNs'
            LicenseUri   = 'https://github.com/netns/NetNs/blob/main/LICENSE'
            ReleaseNotes = 'First release: namespaces, links, bridge ports, addresses, routes and sysctls.'
        }
    }
}
