# Controller image: multi-stage; the final stage carries the ASP.NET runtime on Ubuntu chiseled (no shell, no
# package manager, non-root by default) and the published app, never the SDK.
# Build: docker build -t ghcr.io/canary-dev/canary-controller:0.1.0 .
# The load tester (src/Canary.LoadTester, manifests/loadtester/) is a second image from this file, built the same way:
#   docker build --target loadtester -t ghcr.io/canary-dev/canary-loadtester:0.1.0 .
# Its stages come before the controller's runtime stage so that a build without --target still makes the controller.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# global.json is left out on purpose: it pins the developer machines' SDK band, which the image's SDK may not match.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet restore src/Canary.Controller/Canary.Controller.csproj
# Framework-dependent and untrimmed: trimming silently breaks KubernetesClient's watch deserialisation.
RUN dotnet publish src/Canary.Controller/Canary.Controller.csproj -c Release --no-restore -o /app \
    -p:UseAppHost=false

# The load tester references no other project of ours: its build copies only its own folder.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS loadtester-build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Canary.LoadTester/ src/Canary.LoadTester/
RUN dotnet restore src/Canary.LoadTester/Canary.LoadTester.csproj
RUN dotnet publish src/Canary.LoadTester/Canary.LoadTester.csproj -c Release --no-restore -o /loadtester \
    -p:UseAppHost=false

# Load tester image: chiseled ASP.NET runtime, non-root, no shell; hey load is generated in-process, so the image needs
# no hey, curl or sh (programs given to --allow-commands must be added to an image derived from this one).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS loadtester
WORKDIR /app
COPY --from=loadtester-build /loadtester ./
USER 1654:1654
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/canary-loadtester.dll"]
CMD ["--port=8080"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
# 1654 is the image's non-root "app" user (APP_UID); numeric so runAsNonRoot can verify it.
USER 1654:1654
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "/app/canary-controller.dll"]
