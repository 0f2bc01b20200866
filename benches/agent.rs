//! A tool call through msgraph-agent's dispatcher (argument parsing and
//! checking, the SDK call, trimming, the result as JSON) against the same SDK
//! call made directly, both on the in-process emulator: the dispatcher's
//! overhead as a ratio (issue 19's aim: at most 1.1x).
//!
//! Each run makes `MSGRAPH_BENCH_AGENT_CALLS` calls of "list 10 tasks of the
//! Tasks list": `todo_list_tasks` through `Agent::call`, and
//! `todo().tasks(id).list().top(10).send()` plus `serde_json::to_value` of
//! the page for the direct one (a caller hands the model JSON either way);
//! and the bare SDK call (typed tasks, nothing serialized) as the floor.
//!
//! `cargo bench --bench agent` (env: MSGRAPH_BENCH_AGENT_CALLS, MSGRAPH_BENCH_REPS).

mod support;

use msgraph_agent::Agent;
use msgraph_core::{GraphClient, StaticTokenCredential};
use msgraph_emulator::{Emulator, demo};
use msgraph_todo::TodoExt as _;
use serde_json::json;
use support::env::usize_var;
use support::timing::{Variant, ms, side_by_side};

async fn direct(client: GraphClient, list: String, calls: usize) -> u64 {
    let mut seen = 0u64;
    for _ in 0..calls {
        let page = client.me().todo().tasks(list.clone()).list().top(10).send().await.expect("tasks");
        let value = serde_json::to_value(&page.value).expect("json");
        seen += value.as_array().map_or(0, |a| a.len()) as u64;
    }
    seen
}

async fn sdk_only(client: GraphClient, list: String, calls: usize) -> u64 {
    let mut seen = 0u64;
    for _ in 0..calls {
        let page = client.me().todo().tasks(list.clone()).list().top(10).send().await.expect("tasks");
        seen += page.value.len() as u64;
    }
    seen
}

async fn dispatched(agent: Agent, list: String, calls: usize) -> u64 {
    let mut seen = 0u64;
    for _ in 0..calls {
        let out = agent.call("todo_list_tasks", json!({ "list_id": list, "limit": 10 })).await;
        assert!(!out.is_error, "{}", out.text());
        seen += out.content["tasks"].as_array().map_or(0, |a| a.len()) as u64;
    }
    seen
}

fn main() {
    let calls = usize_var("MSGRAPH_BENCH_AGENT_CALLS", 200);
    let reps = usize_var("MSGRAPH_BENCH_REPS", 7);
    support::print_header("agent");
    let rt = support::client_runtime();
    rt.block_on(async {
        let emu = Emulator::builder().start().await.expect("emulator");
        let token = emu.issue_token(demo::USER_UPN).expect("token");
        let client = GraphClient::builder()
            .base_url(emu.base_url())
            .credential(StaticTokenCredential::new(token))
            .build()
            .expect("client");
        let list = client.me().todo().default_list().await.expect("Tasks list").id.expect("id");
        let agent = Agent::new(client.clone());
        println!("{calls} calls per run (list 10 tasks of Tasks), emulator in process, {reps} rounds side by side");
        println!();
        let mut variants = vec![
            Variant::new("SDK call + serde_json::to_value", || direct(client.clone(), list.clone(), calls)),
            Variant::new("Agent::call(\"todo_list_tasks\")", || dispatched(agent.clone(), list.clone(), calls)),
            Variant::new("SDK call only (typed tasks, no JSON out)", || sdk_only(client.clone(), list.clone(), calls)),
        ];
        let stats = side_by_side(&mut variants, 1, reps).await;
        println!("| variant | median | min | per call | / direct (paired median) | CPU / direct (paired) |");
        println!("|---|---|---|---|---|---|");
        let direct = &stats[0];
        for s in &stats {
            println!(
                "| {} | {} | {} | {:.1} us | {:.3} | {:.3} |",
                s.name,
                ms(s.median()),
                ms(s.min()),
                s.median().as_secs_f64() * 1e6 / calls as f64,
                s.paired_ratio(direct),
                s.paired_cpu_ratio(direct)
            );
        }
        assert!(stats.iter().all(|s| s.output == stats[0].output), "every variant saw the same number of tasks");
    });
}
