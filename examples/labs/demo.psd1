# The demo lab: a LAN behind a router with a point-to-point uplink to a server; the server routes the
# LAN back through the router (a static route), so every host reaches it without NAT. IPv4 and IPv6.
@{
    Name     = 'demo'
    Nodes    = @{
        r1  = @{ Forwarding = $true }
        h1  = @{}
        h2  = @{}
        srv = @{ Routes = @{ '198.18.20.0/24' = '198.18.21.1'; '2001:db8:20::/64' = '2001:db8:21::1' } }
    }
    Networks = @{
        lan = @{ Subnet = '198.18.20.0/24', '2001:db8:20::/64'; Members = 'r1', 'h1', 'h2'; Gateway = 'r1' }
    }
    Links    = @(
        @{ Endpoints = 'r1:up0', 'srv:eth0'; Subnet = '198.18.21.0/30', '2001:db8:21::/64'; Mtu = 1400 }
    )
}
