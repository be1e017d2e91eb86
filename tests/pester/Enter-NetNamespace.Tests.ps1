BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/Pwsh.psm1') -Force
    Import-NetNsUnderTest
}

# For real, on a terminal: a pwsh runs in a tmux pane on a tmux server of the test's own (-L), keys are typed
# into it and the pane's text is read back.
Describe 'Enter-NetNamespace under tmux' {
    BeforeAll {
        if (-not (Get-Command tmux -CommandType Application -ErrorAction SilentlyContinue)) { throw 'tmux is not installed' }
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add nt-inside type bridge
        $script:socket = New-TestName
        $script:module = (Get-Module NetNs).Path -replace '\.dll$', '.psd1'
        function Send([string]$Keys) { & tmux -L $script:socket send-keys -t nt $Keys Enter }
        function Screen { (& tmux -L $script:socket capture-pane -p -t nt -S -200) -join "`n" }
        # A line typed right after a shell's first prompt was now and then lost under tmux (about 1 run in 10, the
        # line never echoed): send it again, a bounded number of times, until its output shows.
        function SendUntil([string]$Keys, [string]$Pattern) {
            for ($try = 0; $try -lt 4; $try++) {
                Send $Keys
                $deadline = [DateTime]::UtcNow.AddSeconds(6)
                while ([DateTime]::UtcNow -lt $deadline) {
                    if ((Screen) -match $Pattern) { return }
                    Start-Sleep -Milliseconds 200
                }
            }
            throw "the pane never showed /$Pattern/:`n$(Screen)"
        }
        function WaitFor([string]$Pattern, [int]$Seconds = 30) {
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            while ([DateTime]::UtcNow -lt $deadline) {
                if ((Screen) -match $Pattern) { return $true }
                Start-Sleep -Milliseconds 200
            }
            throw "the pane never showed /$Pattern/:`n$(Screen)"
        }
        $pwsh = (Get-PwshCommand | ForEach-Object { "'$_'" }) -join ' '
        & tmux -L $script:socket new-session -d -s nt -x 200 -y 50 "$pwsh -NoProfile -NoLogo"
        if ($LASTEXITCODE -ne 0) { throw 'tmux new-session failed' }
        WaitFor '(?m)^PS ' | Out-Null # keys typed before pwsh reads its console can be lost
        Send "Import-Module '$($script:module)'; function prompt { 'OUTER> ' }"
        WaitFor '(?m)^OUTER>\s*$' | Out-Null
    }
    AfterAll {
        & tmux -L $script:socket kill-server 2>$null
        Remove-TestNamespace -Name $script:ns
    }

    It 'opens pwsh inside the namespace with the name in the prompt, and the caller''s prompt comes back on exit' {
        Send "Enter-NetNamespace $($script:ns)"
        WaitFor ([regex]::Escape("[netns:$($script:ns)] PS ")) | Out-Null
        SendUntil "'links=' + ((Get-ChildItem /sys/class/net).Name -join ',') + ' viaNetNs=' + ((Get-NetNsLink).Name -join ',')" 'links=lo,nt-inside viaNetNs=lo,nt-inside'
        Send 'exit 3'
        WaitFor '(?m)^OUTER>\s*$' | Out-Null
        Send "'after=' + `$LASTEXITCODE + ' ' + ((Get-ChildItem /sys/class/net).Name -contains 'nt-inside')"
        WaitFor 'after=3 False' | Out-Null
    }

    It 'opens bash with -Shell bash, with the namespace in its prompt' {
        Send "Enter-NetNamespace $($script:ns) -Shell bash"
        WaitFor ([regex]::Escape("[netns:$($script:ns)]")) | Out-Null
        SendUntil 'echo "bash sees $(ls /sys/class/net | tr ''\n'' '' '')and NETNS=$NETNS"' "bash sees lo nt-inside and NETNS=$($script:ns)"
        Send 'exit'
        WaitFor '(?m)^OUTER>\s*$' | Out-Null
    }
}
