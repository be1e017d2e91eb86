# Lab 3 of about_NetNs: a router between two networks. r1 forwards (net.ipv4.ip_forward inside r1 only);
# the hosts get default routes via r1, the gateway of their network, which has the first address.
@{
    Name     = 'router'
    Nodes    = @{ r1 = @{ Forwarding = $true }; h1 = @{}; h2 = @{} }
    Networks = @{
        left  = @{ Subnet = '198.18.10.0/24'; Members = 'r1', 'h1'; Gateway = 'r1' }
        right = @{ Subnet = '198.18.11.0/24'; Members = 'r1', 'h2'; Gateway = 'r1' }
    }
}
