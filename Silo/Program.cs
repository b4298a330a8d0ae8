using Conversations.Hosting.Cluster;
using Conversations.Hosting.Configuration;
using Conversations.Hosting.Observability;

// A silo on its own: localhost clustering by default, Redis membership when ConnectionStrings__Redis
// is set. API hosts reach it as Orleans clients (CONVERSATIONS_SILO=false).
DotEnvFile.LoadIntoEnvironment(Path.Combine(Directory.GetCurrentDirectory(), ".env"));
return await HostProgram.RunAsync(() =>
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Services.PostConfigure<Microsoft.Extensions.Logging.LoggerFilterOptions>(QuietRequestLogs.Apply);
    builder.UseOrleans(silo => silo.AddConversationsSilo(builder.Configuration));
    builder.Services.AddDrainOnShutdown(builder.Configuration);
    builder.Services.AddConversationsTelemetry(builder.Configuration, "conversations-silo");
    return builder.Build();
});
