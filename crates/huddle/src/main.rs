//! The `huddle` command: serve, demo, migrate, admin, audit.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use huddle_core::audit::{verify_chain, GENESIS_HASH};
use huddle_core::clock::SystemClock;
use huddle_core::identity::nppes::NppesColumns;
use huddle_core::identity::{DisplayName, Email, NewPassword, Role, Roles};
use huddle_core::routing::Mode;
use huddle_server::actions::{identity, verification};
use huddle_server::{serve, store, AppState, Config};

mod route;

#[derive(Parser)]
#[command(
    name = "huddle",
    version,
    about = "Secure communication and support for physicians and their teams"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives; every command accepts these.
#[derive(Args, Clone, Default)]
struct Target {
    /// TOML configuration file (also HUDDLE_CONFIG).
    #[arg(long, env = "HUDDLE_CONFIG")]
    config: Option<PathBuf>,
    /// Folder of the embedded SQLite database.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://… (wins over --data).
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        #[command(flatten)]
        target: Target,
        /// Listen address, e.g. 0.0.0.0:8080 (overrides server.bind).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Start a demo on 127.0.0.1 with a demo organization and one account of every role.
    Demo {
        #[command(flatten)]
        target: Target,
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate {
        #[command(flatten)]
        target: Target,
    },
    /// Administration from the command line.
    Admin {
        #[command(flatten)]
        target: Target,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Write an online, consistent copy of a SQLite deployment to FILE (safe while serving).
    /// PostgreSQL deployments use pg_dump (see docs/operations.md).
    Backup {
        #[command(flatten)]
        target: Target,
        out: PathBuf,
    },
    /// Check a backup and put it in place of the SQLite database (stop the server first).
    Restore {
        #[command(flatten)]
        target: Target,
        backup: PathBuf,
    },
    /// The routing engine off the live path: the replay protocol and simulations.
    Route {
        #[command(subcommand)]
        command: RouteCommand,
    },
    /// The audit log.
    Audit {
        #[command(flatten)]
        target: Target,
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account (the first system admin, say). The password is read from standard
    /// input when --password-stdin is given; otherwise one is generated and printed.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// A role to grant; repeat for several.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Organization to join, by name (created if missing).
        #[arg(long)]
        organization: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Import an NPPES data dissemination CSV (npidata_pfile_*.csv) so the verifier queue
    /// shows whether NPI, name, licence and specialty match.
    ImportNppes { file: PathBuf },
    /// Rewrap every data key under a new master key (a file holding 32 random bytes,
    /// base64). Then point security.master_key_file at it and restart every node.
    RotateKey {
        #[arg(long, value_name = "FILE")]
        new_key_file: PathBuf,
    },
}

#[derive(Subcommand)]
enum RouteCommand {
    /// Speak the replay protocol (JSON lines) on standard input and output.
    Protocol {
        /// Static policy only, without learning: the baseline.
        #[arg(long)]
        static_only: bool,
    },
    /// Replay a notification history (JSON lines, .gz allowed, - for standard input) and
    /// print what static policy and predictive routing would have cost.
    Simulate { history: PathBuf },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain: exit 0 when intact, 1 naming the first bad entry.
    Verify,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("huddle: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("huddle: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(target: &Target) -> anyhow::Result<Config> {
    let mut config = Config::load(target.config.as_deref(), std::env::vars())?;
    if let Some(dir) = &target.data {
        config.database.data_dir = Some(dir.clone());
        config.database.url = None;
    }
    if let Some(url) = &target.database_url {
        config.database.url = Some(url.clone());
    }
    Ok(config)
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log.level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// The SQLite file a command's target names; PostgreSQL has its own tools.
fn sqlite_path(target: &Target) -> anyhow::Result<PathBuf> {
    let config = load_config(target)?;
    let url = config.database.resolved_url();
    match url.strip_prefix("sqlite://") {
        Some(path) => Ok(PathBuf::from(path)),
        None => anyhow::bail!(
            "backup and restore are for SQLite deployments; on PostgreSQL use pg_dump and pg_restore (docs/operations.md)"
        ),
    }
}

async fn state_for(target: &Target) -> anyhow::Result<AppState> {
    let config = load_config(target)?;
    let store = store::open(&config.database.resolved_url()).await?;
    AppState::new(store, Arc::new(SystemClock), config, None)
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { target, bind } => {
            let mut config = load_config(&target)?;
            if let Some(bind) = bind {
                config.server.bind = bind;
            }
            init_logging(&config);
            let store = store::open(&config.database.resolved_url()).await?;
            let running = serve::start(config, store, Arc::new(SystemClock)).await?;
            tracing::info!(addr = %running.addr, backend = running.state.store.backend(), "huddle is listening");
            running.until_signalled().await?;
        }
        Command::Demo { target, port } => {
            let mut config = load_config(&target)?;
            config.server.bind = format!("127.0.0.1:{port}");
            init_logging(&config);
            let store = store::open(&config.database.resolved_url()).await?;
            let running = serve::start(config, store, Arc::new(SystemClock)).await?;
            huddle_server::demo::seed(&running.state).await?;
            println!("Huddle demo: http://{}", running.addr);
            for account in &huddle_server::demo::ACCOUNTS {
                println!(
                    "login: {} {} {}",
                    account.role, account.email, account.password
                );
            }
            println!(
                "feed: Riverside core lab (POST /api/v1/alerts, HL7 RIVLAB^RIVERSIDE) {}",
                huddle_server::demo::DEMO_FEED_CREDENTIAL
            );
            let base = format!("http://{}", running.addr);
            if let Some(link) = huddle_server::demo::invitation_link(&running.state, &base).await? {
                println!("invitation: {} {link}", huddle_server::demo::INVITED);
            }
            running.until_signalled().await?;
        }
        Command::Migrate { target } => {
            let config = load_config(&target)?;
            let store = store::open(&config.database.resolved_url()).await?;
            println!("the {} database is up to date", store.backend());
        }
        Command::Admin { target, command } => {
            let state = state_for(&target).await?;
            return admin(&state, command).await;
        }
        Command::Backup { target, out } => {
            let path = sqlite_path(&target)?;
            huddle_store_sqlite::backup::backup(&format!("sqlite://{}", path.display()), &out)
                .await?;
            println!(
                "backed up {} to {}; keep the master key ({}) apart from it",
                path.display(),
                out.display(),
                path.with_file_name("master.key").display()
            );
        }
        Command::Restore { target, backup } => {
            let path = sqlite_path(&target)?;
            huddle_store_sqlite::backup::restore(&backup, &path).await?;
            println!("restored {} from {}", path.display(), backup.display());
        }
        Command::Route { command } => {
            return match command {
                RouteCommand::Protocol { static_only } => route::protocol(if static_only {
                    Mode::Static
                } else {
                    Mode::Predictive
                }),
                RouteCommand::Simulate { history } => route::simulate(&history),
            };
        }
        Command::Audit {
            target,
            command: AuditCommand::Verify,
        } => {
            let state = state_for(&target).await?;
            return audit_verify(&state).await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn admin(state: &AppState, command: AdminCommand) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::CreateUser {
            email,
            name,
            roles,
            organization,
            password_stdin,
        } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
            let name = DisplayName::parse(&name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
            let roles = roles
                .iter()
                .map(|r| Role::parse(r).map_err(|e| anyhow::anyhow!("--role: {e}")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let (password, generated) = if password_stdin {
                let mut input = String::new();
                std::io::stdin().read_to_string(&mut input)?;
                (input.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (huddle_server::auth::secrets::new_secret(), true)
            };
            let password =
                NewPassword::parse(&password).map_err(|e| anyhow::anyhow!("password: {e}"))?;
            let organization_id = match organization {
                None => None,
                Some(org_name) => {
                    let existing = state
                        .store
                        .organizations()
                        .await?
                        .into_iter()
                        .find(|o| o.name == org_name);
                    Some(match existing {
                        Some(o) => o.id,
                        None => {
                            state
                                .store
                                .create_organization(&org_name, state.now())
                                .await?
                                .id
                        }
                    })
                }
            };
            let user = identity::create_account(
                state,
                email,
                password.clone(),
                name,
                Roles::new(roles),
                organization_id,
                None,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail()))?;
            println!(
                "created user {} ({}) with roles [{}]",
                user.id,
                user.email,
                user.roles.to_stored()
            );
            if generated {
                println!("password: {}", password.expose());
            }
        }
        AdminCommand::ImportNppes { file } => {
            let mut reader = huddle_core::csv_input::reader(
                std::fs::File::open(&file)
                    .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", file.display()))?,
            );
            let header = reader.headers().map_err(|e| {
                anyhow::anyhow!(
                    "{}: {}",
                    file.display(),
                    huddle_core::csv_input::describe(&e)
                )
            })?;
            if header.is_empty() {
                anyhow::bail!("{} is empty", file.display());
            }
            let columns = NppesColumns::from_header(header)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let mut batch = Vec::new();
            let mut total = 0u64;
            for record in reader.records() {
                let record = record.map_err(|e| {
                    anyhow::anyhow!(
                        "{}: {}",
                        file.display(),
                        huddle_core::csv_input::describe(&e)
                    )
                })?;
                let line = record.position().map_or(0, |p| p.line());
                let provider = columns
                    .provider(&record)
                    .map_err(|e| anyhow::anyhow!("{} line {line}: {e}", file.display()))?;
                if let Some(p) = provider {
                    batch.push(verification::nppes_record(p));
                }
                if batch.len() >= 1000 {
                    total += state.store.upsert_nppes_records(&batch).await?;
                    batch.clear();
                }
            }
            total += state.store.upsert_nppes_records(&batch).await?;
            huddle_server::actions::audit::record(
                state,
                None,
                huddle_core::audit::AuditAction::NppesImported,
                "nppes",
                serde_json::json!({ "records": total }),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail()))?;
            println!("imported {total} NPPES records");
        }
        AdminCommand::RotateKey { new_key_file } => {
            let new = huddle_server::crypto::Keyring::from_file(&new_key_file)?;
            let n = huddle_server::keys::rotate(state, &new)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail()))?;
            println!(
                "rewrapped {n} data keys under {}; now set security.master_key_file to it (or put it in place of master.key) and restart every node",
                new_key_file.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn audit_verify(state: &AppState) -> anyhow::Result<ExitCode> {
    let mut prev = GENESIS_HASH.to_string();
    let mut next_seq = 1;
    loop {
        let entries = state.store.audit_entries(next_seq - 1, 1000).await?;
        let done = entries.is_empty();
        let head = if done {
            Some(state.store.audit_head().await?)
        } else {
            None
        };
        let checked = verify_chain(
            &entries,
            prev.clone(),
            next_seq,
            head.as_ref().map(|(s, h)| (*s, h.as_str())),
        );
        match checked {
            Ok((last, hash)) => {
                prev = hash;
                next_seq = last + 1;
            }
            Err(e) => {
                eprintln!("audit log is NOT intact: {e}");
                return Ok(ExitCode::FAILURE);
            }
        }
        if done {
            println!("audit log intact: {} entries, head {}", next_seq - 1, prev);
            return Ok(ExitCode::SUCCESS);
        }
    }
}
