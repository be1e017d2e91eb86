# Lab 1 of about_NetNs: two namespaces on a veth pair (pair-a, pair-b), 198.18.1.1 and 198.18.1.2.
#   Deploy-NetNsLab ./veth-pair.psd1; Test-NetNsLab pair; Remove-NetNsLab pair
@{
    Name  = 'pair'
    Nodes = @{ a = @{}; b = @{} }
    Links = @(
        @{ Endpoints = 'a:eth0', 'b:eth0'; Subnet = '198.18.1.0/30', '2001:db8:1::/64' }
    )
}
