using Conversations.ApiHost;

ApiHostApplication.LoadDotEnv();
await ApiHostApplication.Build(args).RunAsync();
