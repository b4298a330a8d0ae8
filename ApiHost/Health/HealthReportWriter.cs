using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conversations.ApiHost.Health;

/// <summary>
/// A health report as JSON: the overall status and each check's name and status, nothing else. A check's
/// description and exception are left out on purpose: a database driver's message can quote a host, a user
/// or part of a connection string, and these routes answer without a key.
/// </summary>
public static class HealthReportWriter
{
    public static async Task Write(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
