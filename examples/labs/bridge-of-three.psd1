# Lab 2 of about_NetNs: three hosts on one bridge. The bridge lives in its own namespace, bridge3-lan;
# each host's interface is named lan and gets the next address of the subnet, in the order of Members.
@{
    Name     = 'bridge3'
    Nodes    = @{ h1 = @{}; h2 = @{}; h3 = @{} }
    Networks = @{
        lan = @{ Subnet = '198.18.2.0/24', '2001:db8:2::/64'; Members = 'h1', 'h2', 'h3=198.18.2.30,2001:db8:2::30' }
    }
}
