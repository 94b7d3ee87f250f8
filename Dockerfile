# Controller image: multi-stage; the final stage carries the ASP.NET runtime on Ubuntu chiseled (no shell, no
# package manager, non-root by default) and the published app, never the SDK.
# Build: docker build -t ghcr.io/canary-dev/canary-controller:0.1.0 .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# global.json is left out on purpose: it pins the developer machines' SDK band, which the image's SDK may not match.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet restore src/Canary.Controller/Canary.Controller.csproj
# Framework-dependent and untrimmed: trimming silently breaks KubernetesClient's watch deserialisation.
RUN dotnet publish src/Canary.Controller/Canary.Controller.csproj -c Release --no-restore -o /app \
    -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
# 1654 is the image's non-root "app" user (APP_UID); numeric so runAsNonRoot can verify it.
USER 1654:1654
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "/app/canary-controller.dll"]
