using Conversations.Hosting.Cluster;
using Conversations.Hosting.Configuration;
using Conversations.Hosting.Observability;

// A silo on its own: localhost clustering by default, Redis membership when ConnectionStrings__Redis
// is set. API hosts reach it as Orleans clients (CONVERSATIONS_SILO=false).
DotEnvFile.LoadIntoEnvironment(Path.Combine(Directory.GetCurrentDirectory(), ".env"));
return await HostProgram.RunAsync(() =>
{
    // appsettings.json is looked for next to the program, wherever it is started from.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.UseOrleans(silo => silo.AddConversationsSilo(builder.Configuration));
    builder.Services.AddDrainOnShutdown(builder.Configuration);
    builder.Services.AddConversationsTelemetry(builder.Configuration, "conversations-silo");
    builder.Services.AddHostedService<StartupBanner>();
    return builder.Build();
});
