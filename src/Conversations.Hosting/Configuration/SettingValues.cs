using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Conversations.Hosting.Configuration;

/// <summary>
/// Reads settings so that a value of the wrong form stops the process with the setting's name, instead of
/// the configuration binder's exception surfacing later, wherever the value is first used.
/// </summary>
public static class SettingValues
{
    /// <summary>The value of <paramref name="key"/>, or <paramref name="defaultValue"/> when it is unset or blank.</summary>
    public static T Read<T>(IConfiguration configuration, string key, T defaultValue)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        try
        {
            var value = (T)TypeDescriptor.GetConverter(typeof(T)).ConvertFromInvariantString(text.Trim())!;
            // An enum converter takes any number; only the named values are settings.
            return typeof(T).IsEnum && !Enum.IsDefined(typeof(T), value) ? throw new FormatException() : value;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException
            || e.InnerException is FormatException or OverflowException)
        {
            throw new InvalidSettingException($"{key} must be {Expected(typeof(T), defaultValue)}; '{text}' is not.", e);
        }
    }

    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/>, naming the setting whose value does not fit.</summary>
    public static void Bind(IConfigurationSection section, object options)
    {
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the setting's path, its value and the type it expected.
            throw new InvalidSettingException(e.Message, e);
        }
    }

    /// <summary>What a value of <paramref name="type"/> looks like, in an operator's words.</summary>
    public static string Expected(Type type, object? example = null)
    {
        var like = example is null ? "" : $" such as {Convert.ToString(example, System.Globalization.CultureInfo.InvariantCulture)}";
        return type switch
        {
            _ when type == typeof(TimeSpan) => $"a duration (hh:mm:ss){like}",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => $"a whole number{like}",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ => $"a {type.Name}{like}",
        };
    }
}
