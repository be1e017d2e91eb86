using System.Globalization;
using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// Lets times (-Delay, -Jitter, -Duration, -Timeout, -Interval, and the lab keys) be written as tc writes them: '20ms',
/// '1.5s', '500us'; a number is milliseconds; a TimeSpan stays one. PowerShell reads an unquoted 5s as the number 5 of
/// type short (its type suffix s), so a short is taken as seconds: what was written (an unquoted 1.5s is already the
/// short 2 when it arrives: quote fractions). Anything else fails parameter binding, naming what to write.
/// </summary>
public sealed class TimeValueTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => ToTimeSpan(inputData);

    /// <summary>The conversion itself (also used for lab definitions).</summary>
    public static object? ToTimeSpan(object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        try
        {
            return value switch
            {
                null => null,
                TimeSpan t => t,
                string s => TcUnits.ParseTime(s),
                short seconds => TimeSpan.FromSeconds(seconds), // `-Duration 5s` arrives as (short)5
                int or long or double or float or decimal or byte or uint or ulong =>
                    TimeSpan.FromMilliseconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a time: write '20ms', '1.5s', or a TimeSpan"),
            };
        }
        catch (NetNsException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}

/// <summary>Lets -Rate be '10mbit', '1gbit', '500kbit' (tc's units) or a number of bits per second; it becomes bits per second.</summary>
public sealed class RateValueTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => ToBits(inputData);

    /// <summary>The conversion itself (also used for lab definitions).</summary>
    public static object? ToBits(object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        try
        {
            return value switch
            {
                null => null,
                string s => TcUnits.ParseRate(s),
                int or long or double or float or decimal or short or uint or ulong =>
                    TcUnits.ParseRate(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("F0", CultureInfo.InvariantCulture)),
                _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a rate: write '10mbit', '1gbit', or bits per second"),
            };
        }
        catch (NetNsException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
