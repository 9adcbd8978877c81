//! A fleet sharing tokens through Redis (and a host through `token_dir`):
//! exactly one fetch per token generation, a dead lock holder replaced, a
//! 40001 answered by one refresh, Redis down and back, two merchants apart.
//! Each `Client` here stands for one process: its in-process locks are its
//! own, so only the store can coordinate them. (The Python and PHP tests do
//! the same with real processes.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use wxpay::{Client, SignType, TokenSource, TokenStore};
use wxpay_sim::{SimConfig, Simulator};

/// A redis-server of our own on a free loopback port.
struct Redis {
    port: u16,
    child: Child,
}

impl Redis {
    fn start() -> Redis {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Redis::on(port)
    }

    fn on(port: u16) -> Redis {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed (make test installs it with apt-get)");
        let redis = Redis { port, child };
        let until = Instant::now() + Duration::from_secs(10);
        while redis.store().get("ping").is_err() {
            assert!(Instant::now() < until, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn store(&self) -> wxpay::RedisStore {
        wxpay::RedisStore::new(&self.url()).unwrap()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

fn fleet_client(sim: &Simulator, redis: &Redis) -> Client {
    let mut cfg = config(sim, SignType::HmacSha256);
    cfg.token_store = Some(Arc::new(redis.store()));
    cfg.timeouts.overall = Duration::from_secs(3);
    Client::new(cfg).unwrap()
}

fn stat(sim: &Simulator, name: &str) -> u64 {
    sim.stats().get(name).copied().unwrap_or(0)
}

/// `processes` clients × `threads` threads each ask for a wx.config.
fn storm(clients: &[Arc<Client>], threads: usize) {
    let handles: Vec<_> = clients
        .iter()
        .flat_map(|c| (0..threads).map(move |i| (c.clone(), i)))
        .map(|(c, i)| {
            std::thread::spawn(move || {
                c.jssdk_config(&format!("https://shop.example/p/{i}"), &["chooseWXPay"])
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn eight_processes_of_eight_threads_fetch_one_token_and_one_ticket() {
    for source in [TokenSource::Stable, TokenSource::Classic] {
        let sim = sim();
        let redis = Redis::start();
        let clients: Vec<_> = (0..8)
            .map(|_| {
                let mut cfg = config(&sim, SignType::HmacSha256);
                cfg.token_store = Some(Arc::new(redis.store()));
                cfg.token_source = source;
                Arc::new(Client::new(cfg).unwrap())
            })
            .collect();
        storm(&clients, 8);
        assert_eq!(stat(&sim, "token_fetches"), 1, "{source:?}");
        assert_eq!(stat(&sim, "ticket_fetches"), 1, "{source:?}");
    }
}

#[test]
fn a_lock_holder_that_died_is_replaced_once_its_lock_expires() {
    let sim = sim();
    let redis = Redis::start();
    // A process took the lock and was killed before writing a token.
    let dead = redis.store();
    let key = format!("wxpay:{}:access_token:lock", sim.config().appid);
    assert_eq!(
        dead.try_lock(&key, "killed-process", Duration::from_millis(1500))
            .unwrap(),
        wxpay::LockOutcome::Taken
    );
    let clients: Vec<_> = (0..4)
        .map(|_| Arc::new(fleet_client(&sim, &redis)))
        .collect();
    let started = Instant::now();
    let handles: Vec<_> = clients
        .iter()
        .flat_map(|c| (0..4).map(move |_| c.clone()))
        .map(|c| std::thread::spawn(move || c.access_token().unwrap()))
        .collect();
    let tokens: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(tokens.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(stat(&sim, "token_fetches"), 1, "one fetch, no storm");
    assert!(
        started.elapsed() >= Duration::from_millis(1200),
        "the waiters waited for the dead holder's lock to expire ({:?})",
        started.elapsed()
    );
}

#[test]
fn a_40001_is_answered_by_one_refresh_for_the_fleet() {
    let sim = sim_with(SimConfig {
        token_overlap: 0,
        time_scale: 0.001,
        ..SimConfig::default()
    });
    let redis = Redis::start();
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let mut cfg = config(&sim, SignType::HmacSha256);
            cfg.token_store = Some(Arc::new(redis.store()));
            cfg.token_source = TokenSource::Classic;
            Arc::new(Client::new(cfg).unwrap())
        })
        .collect();
    let old = clients[0].access_token().unwrap();
    // Someone else fetches a token with the same secret: WeChat retires
    // the one the fleet holds, and answers 40001 to it.
    let c = sim.config();
    let (status, _, _) = get(&format!(
        "{}/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
        sim.base_url(),
        c.appid,
        c.app_secret
    ));
    assert_eq!(status, 200);
    let (tokens, tickets) = (stat(&sim, "token_fetches"), stat(&sim, "ticket_fetches"));
    storm(&clients, 8);
    assert_eq!(stat(&sim, "token_fetches") - tokens, 1, "one refresh");
    assert_eq!(
        stat(&sim, "ticket_fetches") - tickets,
        2,
        "one 40001, then the ticket with the new token"
    );
    assert_ne!(clients[7].access_token().unwrap(), old);
}

#[test]
fn redis_down_costs_no_call_and_is_used_again_when_it_is_back() {
    let sim = sim();
    let mut redis = Redis::start();
    let port = redis.port;
    let client = Arc::new(fleet_client(&sim, &redis));
    storm(std::slice::from_ref(&client), 4);
    assert_eq!(stat(&sim, "token_fetches"), 1);
    let health = client.token_store_health();
    assert!(
        health.healthy && health.error.is_none() && health.store == "redis",
        "{health:?}"
    );
    // Events of this process's stores (other tests share the process).
    let down = Arc::new(std::sync::Mutex::new(Vec::<wxpay::events::Event>::new()));
    let seen = down.clone();
    wxpay::events::set_sink(Some(Arc::new(move |e: &wxpay::events::Event| {
        if e.name == "token_store_down" {
            seen.lock().unwrap().push(e.clone());
        }
    })));
    redis.stop();
    // Down: every call still works, from this process's own copy.
    storm(std::slice::from_ref(&client), 8);
    let health = client.token_store_health();
    assert!(
        !health.healthy,
        "the failing store shows in the health call"
    );
    assert!(
        health
            .error
            .as_deref()
            .unwrap_or("")
            .contains("token store"),
        "{health:?}"
    );
    {
        let events = down.lock().unwrap();
        assert!(!events.is_empty(), "the failure is reported as an event");
        let e = &events[0];
        assert_eq!(e.level, wxpay::events::Level::Warning);
        assert!(e.fields["key"].starts_with("wxpay:"), "{e:?}");
        assert!(e.message.contains("own token cache"), "{e:?}");
    }
    assert_eq!(
        stat(&sim, "token_fetches"),
        1,
        "no fetch while a valid token is at hand"
    );
    assert_eq!(stat(&sim, "ticket_fetches"), 1);
    // With token_store_required, a store that is down fails the call, and
    // nothing is fetched that the fleet could not share.
    let strict = {
        let mut cfg = config(&sim, SignType::HmacSha256);
        cfg.token_store = Some(Arc::new(redis.store()));
        cfg.timeouts.overall = Duration::from_secs(3);
        cfg.token_store_required = true;
        Client::new(cfg).unwrap()
    };
    let fetched = stat(&sim, "token_fetches");
    let e = strict.access_token().unwrap_err();
    assert_eq!(e.kind(), wxpay::ErrorKind::Cache, "{e}");
    assert_eq!(
        stat(&sim, "token_fetches"),
        fetched,
        "no fetch the fleet cannot share"
    );
    assert!(!strict.token_store_health().healthy);
    // A process that starts while Redis is down fetches once, for all its threads.
    let newcomer = Arc::new(fleet_client(&sim, &redis));
    storm(std::slice::from_ref(&newcomer), 8);
    assert_eq!(
        stat(&sim, "ticket_fetches"),
        2,
        "single-flight without the store"
    );
    // Back (empty, as after a restart): the next refresh goes through Redis again.
    let redis = Redis::on(port);
    std::thread::sleep(Duration::from_millis(600));
    let third = Arc::new(fleet_client(&sim, &redis));
    storm(std::slice::from_ref(&third), 4);
    assert!(third.token_store_health().healthy);
    wxpay::events::set_sink(None);
    let key = format!("wxpay:{}:jsapi_ticket", sim.config().appid);
    assert!(
        redis.store().get(&key).unwrap().is_some(),
        "written to Redis again"
    );
    let before = stat(&sim, "ticket_fetches");
    let fourth = Arc::new(fleet_client(&sim, &redis));
    storm(std::slice::from_ref(&fourth), 4);
    assert_eq!(
        stat(&sim, "ticket_fetches"),
        before,
        "read from Redis, not fetched"
    );
}

#[test]
fn two_merchants_in_one_redis_never_see_each_others_tokens() {
    let redis = Redis::start();
    let a = sim();
    let b = sim_with(SimConfig {
        appid: "wx00000000000000b2".into(),
        app_secret: "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2".into(),
        time_scale: 0.001,
        ..SimConfig::default()
    });
    let token_a = fleet_client(&a, &redis).access_token().unwrap();
    let token_b = fleet_client(&b, &redis).access_token().unwrap();
    assert_ne!(token_a, token_b);
    // Each simulator knows only its own merchant's token.
    assert_eq!(fleet_client(&a, &redis).access_token().unwrap(), token_a);
    assert_eq!(fleet_client(&b, &redis).access_token().unwrap(), token_b);
    assert_eq!(
        (stat(&a, "token_fetches"), stat(&b, "token_fetches")),
        (1, 1)
    );
    let store = redis.store();
    for (sim, token) in [(&a, &token_a), (&b, &token_b)] {
        let entry = store
            .get(&format!("wxpay:{}:access_token", sim.config().appid))
            .unwrap()
            .unwrap();
        assert!(entry.contains(token.as_str()));
        assert!(
            !entry.contains(&sim.config().app_secret),
            "no secret in Redis"
        );
    }
}

#[test]
fn a_token_dir_locks_the_host_with_an_os_file_lock() {
    let sim = sim();
    let dir = std::env::temp_dir().join(format!("wxpay-fleet-{}", std::process::id()));
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let mut cfg = config(&sim, SignType::HmacSha256);
            cfg.token_store = Some(Arc::new(wxpay::FileStore::new(&dir).unwrap()));
            Arc::new(Client::new(cfg).unwrap())
        })
        .collect();
    storm(&clients, 8);
    assert_eq!(stat(&sim, "token_fetches"), 1);
    assert_eq!(stat(&sim, "ticket_fetches"), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_late_release_never_frees_another_owners_lock() {
    let redis = Redis::start();
    let (a, b) = (redis.store(), redis.store());
    let key = "wxpay:wx00000000000000a1:access_token:lock";
    assert_eq!(
        a.try_lock(key, "a", Duration::from_millis(200)).unwrap(),
        wxpay::LockOutcome::Taken
    );
    assert_eq!(
        b.try_lock(key, "b", Duration::from_secs(5)).unwrap(),
        wxpay::LockOutcome::Held
    );
    std::thread::sleep(Duration::from_millis(300));
    // A's lock expired while A still worked; B holds it now.
    assert_eq!(
        b.try_lock(key, "b", Duration::from_secs(5)).unwrap(),
        wxpay::LockOutcome::Taken
    );
    a.unlock(key, "a").unwrap();
    assert_eq!(
        a.try_lock(key, "c", Duration::from_secs(5)).unwrap(),
        wxpay::LockOutcome::Held,
        "A's late release left B's lock in place"
    );
    b.unlock(key, "b").unwrap();
    assert_eq!(
        a.try_lock(key, "c", Duration::from_secs(5)).unwrap(),
        wxpay::LockOutcome::Taken
    );
}
