# Starting a child pwsh exactly like the running one. Under the dotnet-tool pwsh the process is `dotnet`
# (Get-Process -Id $PID and [Environment]::ProcessPath both say so) and pwsh.dll is the first command-line
# argument, so the child is `dotnet <pwsh.dll> ...`; under an installed pwsh it is the pwsh executable.

function Get-PwshCommand {
    <#
    .SYNOPSIS
    The program and the leading arguments that start another pwsh like this one, as a string array.
    #>
    [OutputType([string[]])]
    param()
    $exe = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
        $dll = [Environment]::GetCommandLineArgs()[0]
        if (-not $dll.EndsWith('.dll', [StringComparison]::OrdinalIgnoreCase)) { throw "cannot tell which pwsh.dll runs this dotnet process (argv[0] is '$dll')" }
        return [string[]]@($exe, $dll)
    }
    [string[]]@($exe)
}

function Invoke-Pwsh {
    <#
    .SYNOPSIS
    Runs a child pwsh (like this one) with the given arguments; output flows to the pipeline, $LASTEXITCODE is its exit code.
    .PARAMETER Prefix
    Programs and their arguments to run the child under (e.g. setpriv ... --), before the pwsh command line.
    #>
    param(
        [Parameter(Mandatory, Position = 0)][string[]]$ArgumentList,
        [string[]]$Prefix = @()
    )
    $command = @($Prefix) + @(Get-PwshCommand) + @($ArgumentList)
    $rest = if ($command.Count -gt 1) { $command[1..($command.Count - 1)] } else { @() }
    & $command[0] @rest
}

Export-ModuleMember -Function Get-PwshCommand, Invoke-Pwsh
