# The router with NAT: r1 masquerades what the LAN sends out of wan0, so wan needs no route back.
# Nat is validated, but not wired into labs yet: Deploy-NetNsLab refuses this file (NotSupported)
# until the nftables support is merged. Export-NetNsLab draws it already.
@{
    Name     = 'edge'
    Nodes    = @{ r1 = @{ Forwarding = $true }; h1 = @{}; h2 = @{}; wan = @{} }
    Networks = @{ lan = @{ Subnet = '198.18.40.0/24'; Members = 'r1', 'h1', 'h2'; Gateway = 'r1' } }
    Links    = @( @{ Endpoints = 'r1:wan0', 'wan:eth0'; Subnet = '198.18.41.0/30' } )
    Nat      = @{ r1 = 'wan0' }
}
