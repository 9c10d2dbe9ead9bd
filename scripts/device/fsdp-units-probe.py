# FSDP1 per-GPU memory: two ranks simulated on ONE GPU with torch's fake process group (collectives do nothing, every
# allocation FSDP makes is real) and, where the machine has two GPUs, two real ranks over NCCL (torchrun). Mistral-7B
# shapes with 4 layers, LoRA r16 (q,k,v,o), 4096-token sequences.
# Needs CUDA with torch, transformers and peft; never run by the tests. Usage: python3 scripts/device/fsdp-units-probe.py
# Prints each run's peak less the memory before the step (rank 0), the live allocations at the peak, and the slope per
# sequence. The NCCL runs test whether real collectives hold the +2 B x T x V per sequence that fms-acceleration's
# two-GPU runs show (README, Accuracy) and the fake group does not.
import os, sys, json, subprocess, time

T, V = 4096, 32000

def child(kind, batch, snap):
    import torch, torch.distributed as dist
    torch.manual_seed(0)
    rank = int(os.environ.get("LOCAL_RANK", "0"))
    torch.cuda.set_device(rank)
    from transformers import MistralConfig, MistralForCausalLM
    from peft import LoraConfig, get_peft_model
    cfg = MistralConfig(hidden_size=4096, intermediate_size=14336, num_hidden_layers=4, num_attention_heads=32,
                        num_key_value_heads=8, vocab_size=V, max_position_embeddings=T)
    cfg._attn_implementation = "sdpa"
    torch.set_default_dtype(torch.bfloat16)
    with torch.device("cuda"):
        model = MistralForCausalLM(cfg)
    torch.set_default_dtype(torch.float32)
    model.config.use_cache = False
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": True})
    model.enable_input_require_grads()
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05,
                                             target_modules=["q_proj", "k_proj", "v_proj", "o_proj"], task_type="CAUSAL_LM"), autocast_adapter_dtype=False)
    if kind.startswith("nccl"):
        ws = int(kind[-1])
        dist.init_process_group(backend="nccl")  # rank and world size from torchrun's environment
    elif kind.startswith("fsdp"):
        from torch.testing._internal.distributed.fake_pg import FakeStore
        ws = int(kind[-1])
        dist.init_process_group(backend="fake", rank=0, world_size=ws, store=FakeStore())
    if kind.startswith(("nccl", "fsdp")):
        from torch.distributed.fsdp import FullyShardedDataParallel as FSDP, ShardingStrategy, MixedPrecision, BackwardPrefetch
        from peft.utils.other import fsdp_auto_wrap_policy
        os.environ.setdefault("FSDP_TRANSFORMER_CLS_TO_WRAP", "MistralDecoderLayer")
        model = FSDP(model, auto_wrap_policy=fsdp_auto_wrap_policy(model), use_orig_params=True, limit_all_gathers=True,
                     sharding_strategy=ShardingStrategy.FULL_SHARD if ws > 1 else ShardingStrategy.NO_SHARD,
                     backward_prefetch=BackwardPrefetch.BACKWARD_PRE, device_id=rank,
                     mixed_precision=MixedPrecision(param_dtype=torch.bfloat16, reduce_dtype=torch.bfloat16,
                                                    buffer_dtype=torch.bfloat16))
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    def step():
        ids = torch.randint(0, V, (batch, T), device="cuda")
        out = model(input_ids=ids, labels=ids)
        loss = out.loss
        del out
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    step()
    torch.cuda.synchronize()
    before = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    if snap:
        torch.cuda.memory._record_memory_history(max_entries=300000, stacks="python")
    step()
    torch.cuda.synchronize()
    peak = torch.cuda.max_memory_allocated()
    res = {"kind": kind, "batch": batch, "before": before, "peak": peak, "delta": peak - before}
    if snap:
        s = torch.cuda.memory._snapshot()
        torch.cuda.memory._record_memory_history(enabled=None)
        tr = s["device_traces"][rank]
        cur = top = 0; at = -1
        for i, e in enumerate(tr):
            a = e["action"]
            if a == "alloc":
                cur += e["size"]
                if cur > top:
                    top, at = cur, i
            elif a == "free_completed":
                cur -= e["size"]
        live = {}
        for e in tr[:at + 1]:
            if e["action"] == "alloc":
                live[e["addr"]] = e
            elif e["action"] == "free_completed":
                live.pop(e["addr"], None)
        rows = sorted(live.values(), key=lambda e: -e["size"])[:14]
        def where(e):
            fr = [f for f in e.get("frames", []) if any(k in f["filename"] for k in ("transformers", "peft", "fsdp", "probe", "autograd", "checkpoint"))]
            return " < ".join("%s:%d %s" % (f["filename"].split("site-packages/")[-1], f["line"], f["name"]) for f in fr[:4])
        res["peakInTrace"] = top
        res["live"] = [[e["size"], where(e)] for e in rows]
    if rank == 0:
        print("RESULT " + json.dumps(res), flush=True)
    if dist.is_initialized():
        dist.destroy_process_group()

if __name__ == "__main__":
    if len(sys.argv) > 1:
        child(sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1")
        sys.exit(0)
    out = os.environ.get("OUT", "/tmp")
    results = []
    import torch
    runs = [("plain", 1, 0), ("plain", 2, 1), ("fsdp-ws2", 1, 0), ("fsdp-ws2", 2, 1), ("fsdp-ws1", 1, 0), ("fsdp-ws1", 2, 0)]
    if torch.cuda.device_count() >= 2:
        runs += [("nccl-ws2", 1, 0), ("nccl-ws2", 2, 1)]
    else:
        print("one GPU: the real two-rank NCCL runs are skipped", flush=True)
    for kind, batch, snap in runs:
        t = time.time()
        launch = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"] \
            if kind.startswith("nccl") else [sys.executable]
        p = subprocess.run(launch + [__file__, kind, str(batch), str(snap)], capture_output=True, text=True, timeout=300)
        lines = [l for l in p.stdout.splitlines() if l.startswith("RESULT ")]
        if lines:
            r = json.loads(lines[-1][7:]); results.append(r)
            print(kind, batch, "delta %.3f GB peak %.3f GB before %.3f GB (%.0f s)" % (r["delta"] / 1e9, r["peak"] / 1e9, r["before"] / 1e9, time.time() - t), flush=True)
            for size, w in r.get("live", []):
                print("   %9.1f MB  %s" % (size / 1e6, w[:260]), flush=True)
        else:
            print(kind, batch, "FAILED rc", p.returncode, p.stderr[-1500:], flush=True)
    json.dump(results, open(os.path.join(out, "fsdp_probe.json"), "w"), indent=1)
    d = {(r["kind"], r["batch"]): r["delta"] for r in results}
    for k in ("plain", "fsdp-ws2", "fsdp-ws1", "nccl-ws2"):
        if (k, 1) in d and (k, 2) in d:
            print("slope %s: %.1f MB per sequence (2 B x T x V = %.1f MB)" % (k, (d[(k, 2)] - d[(k, 1)]) / 1e6, 2 * T * V / 1e6))
