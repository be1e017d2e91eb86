# The router with NAT: r1 masquerades what the LAN sends out of wan0, so wan needs no route back.
# The masquerade rules are in NetNs's nftables table inside r1 (Get-NetNsNatRule -Namespace edge-r1).
@{
    Name     = 'edge'
    Nodes    = @{ r1 = @{ Forwarding = $true }; h1 = @{}; h2 = @{}; wan = @{} }
    Networks = @{ lan = @{ Subnet = '198.18.40.0/24'; Members = 'r1', 'h1', 'h2'; Gateway = 'r1' } }
    Links    = @( @{ Endpoints = 'r1:wan0', 'wan:eth0'; Subnet = '198.18.41.0/30' } )
    Nat      = @{ r1 = 'wan0' }
}
