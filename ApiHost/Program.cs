using Conversations.ApiHost;
using Conversations.Hosting.Configuration;

ApiHostApplication.LoadDotEnv();
return await HostProgram.RunAsync(() => ApiHostApplication.Build(args));
