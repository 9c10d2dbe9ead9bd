#!/usr/bin/env python3
"""Writes the mapping files of the independent accuracy cases (run once, then reviewed).

Reads src/test/resources/accuracy/independent-{inference,finetune}.yaml (the research records,
verbatim) and writes independent-{inference,finetune}-cases.yaml in the format of
accuracy/cases.yaml: for every figure that llmplan can reproduce, the catalog model, the workload
options the source states, what the figure measures (compare, unit) and the tolerance of its
class; every other case under `unreproduced` with its reason. A tenth of the cases is held back
(holdout: true) by a fixed rule: SHA-256 of the case id, read as an unsigned integer, is 0 mod 10.

Usage: python3 scripts/accuracy-map-independent.py   (needs PyYAML)
"""
import hashlib
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RES = os.path.join(ROOT, "src", "test", "resources", "accuracy")

# Tolerances per class (accuracy/cases.yaml header): weights 3%, KV cache 1%, inference peak 10%, training 15%.
T_WEIGHTS, T_INFER, T_TRAIN = 0.03, 0.10, 0.15


def holdout(case_id):
    return int(hashlib.sha256(case_id.encode("utf-8")).hexdigest(), 16) % 10 == 0


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v)
    if re.fullmatch(r"[A-Za-z0-9_.@-]+", s) and s.lower() not in ("on", "off", "yes", "no", "true", "false", "null", "y", "n") \
            and not re.fullmatch(r"[0-9.eE+-]+", s):
        return s
    return '"' + s.replace('"', '\\"') + '"'


def flow(d):
    return "{" + ", ".join(f"{k}: {flow(v) if isinstance(v, dict) else scalar(v)}" for k, v in d.items()) + "}"


class Mapping:
    def __init__(self, published):
        self.published = published
        self.lines = []
        self.unrep = []
        self.mapped_cases = set()

    def group(self, text):
        self.lines.append("")
        for line in text.strip().splitlines():
            self.lines.append("  # " + line.strip())

    def comment(self, text):
        self.lines.append("  # " + text)

    def add(self, case, figure, model, options, compare, unit, tolerance, gpu=None):
        m = {"case": case, "figure": figure, "model": model}
        if gpu:
            m["gpu"] = gpu
        m["options"] = {k: v for k, v in options.items() if v is not None}
        m.update({"compare": compare, "unit": unit, "tolerance": tolerance})
        if holdout(case):
            m["holdout"] = True
        self.lines.append("  - " + flow(m))
        self.mapped_cases.add(case)

    def unreproduced(self, case, reason):
        self.unrep.append((case, reason))

    def write(self, path, header):
        with open(path, "w") as f:
            f.write(header.strip() + "\n")
            f.write(f"published: {self.published}\n")
            f.write("cases:" + "\n".join(self.lines) + "\n\n")
            f.write("unreproduced:\n")
            for case, reason in self.unrep:
                f.write("  - " + flow({"case": case, "reason": reason}) + "\n")


def catalog_id(case):
    m = re.match(r"(?:catalog:|Catalog id:)\s*([a-z0-9][\w.\-]*[a-z0-9])", case["notes"])
    return m.group(1) if m else None


def value(fig):
    return str(fig["value"])


HEADER = """
# How each independent published figure in {published} is reproduced (same format as
# accuracy/cases.yaml; read its header). Written once by scripts/accuracy-map-independent.py from the
# research records and reviewed; comments give the reasoning per source.
# Option keys beyond the engine's current ones (prompt, runtime@version, trainer, loraDropout,
# packing, compile, chunkedLoss, measure, maxNumBatchedTokens, gpuMemoryUtilization) record what the
# source states; AccuracyTest stores them and its report lists the ones the engine ignores today.
# measure: allocated = torch max_memory_allocated, reserved = max_memory_reserved, device = nvidia-smi
# or NVML (CUDA context included), allocatedPlusContext = allocated + non-torch memory, log = a
# runtime's own log line, unstated = the source does not say.
# holdout: true marks the hold-back (SHA-256 of the case id, as an unsigned integer, is 0 mod 10):
# never used for calibration, reported apart.
"""


# ----------------------------------------------------------------------------------------- inference

def qwen_quant(precision):
    p = precision.upper()
    if p.startswith("BF16"):
        return "bf16"
    if p.startswith("FP8"):
        return "fp8"
    if "GPTQ 8" in p:
        return "gptq-8bit"
    if "GPTQ 4" in p:
        return "gptq-4bit"
    if "AWQ" in p:
        return "awq-4bit"
    raise ValueError(precision)


# Qwen2 and Qwen2.5 of the same size share config.json dimensions (hidden, layers, heads, KV heads,
# intermediate, vocab, tied embeddings), so Qwen2-* rows use the qwen2.5-* catalog entries.
QWEN2_AS_25 = {"0.5B": "qwen2.5-0.5b", "1.5B": "qwen2.5-1.5b", "7B": "qwen2.5-7b", "72B": "qwen2.5-72b"}


def qwen_speed(m, cases, prefix, runtime, flash_note, unit):
    for c in cases:
        cid = c["id"]
        s = c["settings"]
        model = catalog_id(c)
        if prefix == "qwen2-speed":
            size = re.match(r"Qwen2-([0-9.]+B)", c["model"]).group(1)
            model = QWEN2_AS_25.get(size)
            if model is None:
                m.unreproduced(cid, f"Qwen2-{size} is not in the catalog and no catalog entry shares its architecture")
                continue
        if prefix == "qwen15-hfinfer" and model is None:
            m.unreproduced(cid, "Qwen1.5 dense models (multi-head attention, their own widths) are not in the catalog")
            continue
        if model is None:
            m.unreproduced(cid, "model not in the catalog")
            continue
        prompt = int(c["context_length"])
        new = int(s.get("new_tokens", 2048))
        gpus = int(s.get("gpu_num") or 1)
        opts = {"quant": qwen_quant(c["precision"]), "runtime": runtime, "flashAttention": flash_note,
                "prompt": prompt, "context": prompt + new, "batch": 1, "gpus": gpus if gpus > 1 else None,
                "measure": "allocated"}
        m.add(cid, 0, model, opts, "peakAllocated", unit, T_INFER)


def optimum(m, cases):
    for c in cases:
        cid = c["id"]
        s = c["settings"]
        p = c["precision"]
        quant = "fp16" if p.startswith("FP16") else "gptq-4bit" if p.startswith("GPTQ") else "int4"
        version = "transformers@4.35" if "4.35" in s["versions"] else "transformers@4.32"
        prompt = int(c["context_length"])
        new = int(s["new_tokens"])
        opts = {"quant": quant, "runtime": version, "flashAttention": "off", "prompt": prompt, "context": prompt + new,
                "batch": int(c["batch_size"]), "measure": "allocatedPlusContext"}
        m.add(cid, 0, "llama-2-13b", opts, "peakAllocatedPlusContext", "MB", T_INFER)


def autoawq(m, cases):
    for c in cases:
        cid = c["id"]
        s = c["settings"]
        model = catalog_id(c)
        if model is None:
            m.unreproduced(cid, "deepseek-coder-33b is not in the catalog")
            continue
        gpus = 2 if "2x4090" in cid else 1
        # The release the README's table came from (0.1.6 at 5c7e3682, 0.2.1 at d54bf0e for Mixtral), whose
        # fused layers the autoawq profile prices: eager attention before 0.2.7.post3, q/k/v copies before 0.2.0.
        release = re.search(r"AutoAWQ v?([0-9]+\.[0-9]+\.[0-9]+(?:\.post[0-9]+)?)\b|__version__ ([0-9][0-9.]*(?:post[0-9]+)?)",
                            s["engine"])
        if release is None:
            sys.exit(f"{cid}: no AutoAWQ release in its engine setting: {s['engine']!r}")
        version = (release.group(1) or release.group(2)).rstrip(".")
        opts = {"quant": "awq-4bit", "runtime": "autoawq@" + version,
                "prompt": int(s["prefill_tokens"]),
                "context": int(s["new_tokens"]), "batch": int(c["batch_size"]), "gpus": gpus if gpus > 1 else None,
                "measure": "allocated"}
        m.add(cid, 0, model, opts, "peakAllocated", "GiB", T_INFER)


def tf_doc(m, cases):
    for c in cases:
        cid = c["id"]
        model = catalog_id(c)
        prompt = int(c["context_length"])
        if model == "pythia-410m" and prompt + 100 > 2048:
            m.unreproduced(cid, "prompt 2048 + 100 generated tokens is beyond pythia-410m's 2048-token maximum, which the engine refuses")
            continue
        eager = c["settings"]["attention"] == "eager"
        opts = {"quant": "fp16", "runtime": "transformers@4.42", "flashAttention": "off" if eager else "on",
                "prompt": prompt, "context": prompt + 100, "batch": int(c["batch_size"]), "measure": "allocated"}
        m.add(cid, 0, model, opts, "peakAllocated", "MB", T_INFER)


VLLM_UNCATALOGUED = {
    "granite-3-1-2b": "granite-3.1-2b is not in the catalog",
    "granite-visi": "granite-vision-3.3-2b (a vision-language model) is not in the catalog",
    "kimi-vl": "Kimi-VL-A3B (vision MoE) is not in the catalog",
}


def vllm_quant(c):
    s = c["settings"]
    name = c["model"].lower()
    q = str(s.get("quantization"))
    if q == "None" or q == "null":
        dtype = str(s.get("dtype"))
        return "fp32" if "float32" in dtype else "fp16" if "float16" in dtype and "bfloat" not in dtype else "bf16"
    if "fp8" in name or q == "fp8":
        return "fp8"
    if "w8a8" in name:
        return "int8"
    if "w4a16" in name or "gptq" in q:
        return "gptq-4bit"
    if q == "mxfp4":
        return "mxfp4"
    raise ValueError(c["id"])


def vllm(m, cases):
    for c in cases:
        cid = c["id"]
        s = c["settings"]
        model = catalog_id(c)
        reason = next((r for k, r in VLLM_UNCATALOGUED.items() if k in cid), None)
        if model is None and reason is None:
            if "granite-granite-3-3" in cid:
                model = "granite-3.1-8b"
                m.comment(f"{cid}: granite-3.3-8b has granite-3.1-8b's architecture (the log's weights, 15.25 GiB, are identical)")
            elif "kimi-dev-72b" in cid:
                model = "qwen2.5-72b"
                m.comment(f"{cid}: Kimi-Dev-72B is a Qwen2.5-72B fine-tune with its architecture (weights 67.82 vs 67.80 GiB)")
        if model is None:
            m.unreproduced(cid, reason or "model not in the catalog")
            continue
        version = re.search(r"v?0\.(\d+)\.\d", s["engine"]).group(1)
        tp = int(s.get("tensor_parallel_size") or 1)
        pp = int(s.get("pipeline_parallel_size") or 1)
        gpus = tp * pp
        if pp > 1:
            m.comment(f"{cid}: pipeline parallel {pp} (layers split over GPUs), compared per GPU as an even split")
        util = s.get("gpu_memory_utilization")
        opts = {"quant": vllm_quant(c), "runtime": f"vllm@0.{version}", "context": int(s["max_model_len"]),
                "gpus": gpus if gpus > 1 else None,
                "kvCache": "fp8" if str(s.get("kv_cache_dtype")) == "fp8" else None,
                "maxNumBatchedTokens": setting_int(s, "max_num_batched_tokens", 8192),
                # `vllm serve` on an H100 defaults to 1024 sequences (the campaign's v0.19 logs of the same setup)
                "maxNumSeqs": setting_int(s, "max_num_seqs", 1024 if "H100" in str(c.get("hardware")) else None),
                "gpuMemoryUtilization": util, "measure": "log"}
        for i, f in enumerate(c["figures"]):
            what = f["what"].lower()
            if what.startswith("weights memory"):
                m.add(cid, i, model, opts, "weightsPerGpu", "GiB", T_WEIGHTS)
            elif what.startswith("torch peak memory increase"):
                m.add(cid, i, model, opts, "activationsPerGpu", "GiB", T_INFER)
            elif what.startswith("total non-kv"):
                m.add(cid, i, model, opts, "nonKvPerGpu", "GiB", T_INFER)
            elif what.startswith("kv cache memory"):
                m.add(cid, i, model, opts, "vllmKvAvailable", "GiB", T_INFER, gpu="h100-sxm5")
            elif what.startswith("cuda graph capture memory") and not opts.get("enforceEager"):
                m.add(cid, i, model, opts, "cudaGraphsPerGpu", "GiB", T_INFER)


def setting_int(settings, key, fallback):
    """A whole-number setting as the log states it; a note in its place ("default ...") gives the fallback."""
    v = str(settings.get(key) or "")
    return int(v) if v.isdigit() else fallback


def inference():
    cases = yaml.safe_load(open(os.path.join(RES, "independent-inference.yaml")))
    by_prefix = {}
    for c in cases:
        key = "-".join(c["id"].split("-")[:2])
        by_prefix.setdefault(key, []).append(c)
    m = Mapping("independent-inference.yaml")

    m.group("""
--- Qwen2.5 speed benchmark (QwenLM/Qwen2.5 docs, speed_benchmark.rst): transformers 4.46.0, flash_attention_2,
A100 80GB; prompt of N tokens then exactly 2048 generated; torch max_memory_allocated summed over GPUs, GiB
(72B rows: gpus = the GPUs used, layers split by device_map auto, compared as the sum).
Qwen2.5-*-Instruct rows use the qwen2.5-* base entries (same architecture).""")
    qwen_speed(m, by_prefix.pop("qwen25-speed"), "qwen25-speed", "transformers@4.46", "on", "GiB")

    m.group("""
--- Qwen2 speed benchmark (QwenLM/Qwen2 docs): transformers 4.38.2, same script layout, "GB" (GiB by the
logits arithmetic in the notes); attention not stated per run (flash-attn 2.3.3 installed: recorded on).
Qwen2-{0.5B,1.5B,7B,72B}-Instruct use qwen2.5-* entries: Qwen2 and Qwen2.5 share config dimensions
(hidden, layers, heads, KV heads, intermediate, vocab, tied embeddings); only weights/rope data differ.""")
    qwen_speed(m, by_prefix.pop("qwen2-speed"), "qwen2-speed", "transformers@4.38", "on", "GiB")

    m.group("""
--- Qwen1.5 HF inference benchmark (QwenLM/Qwen2 @14544eb hf_infer.rst): transformers version not stated
(Qwen1.5-MoE needs >= 4.40, so 4.40-4.44: all-position logits), one memory column for runs with and
without flash-attn (flashAttention left unset). Only the MoE model is in the catalog. "GB" read as GiB, as
for the Qwen2 page of the same repository: the growth from 1 to 6144 prompt tokens (5.61) is the prompt's
logits and KV cache in GiB (6.35), not in GB (6.8).""")
    qwen_speed(m, by_prefix.pop("qwen15-hfinfer"), "qwen15-hfinfer", "transformers@4.40", None, "GiB")

    m.group("""
--- Qwen3 speed benchmark (QwenLM/Qwen3 docs): transformers 4.51.3, flash-attn 2.7.4, H20 96GB, "MB" = MiB;
memory method not stated on the page (the repository's script reads max_memory_allocated). FP8 rows are
Qwen's block-FP8 checkpoints (fp8).""")
    qwen_speed(m, by_prefix.pop("qwen3-speed"), "qwen3-speed", "transformers@4.51", "on", "MiB")

    for c in by_prefix.pop("qwen1-readme"):
        m.unreproduced(c["id"], "Qwen (v1) models are not in the catalog")

    m.group("""
--- AutoAWQ README benchmarks (examples/benchmark.py, fuse_layers=True): a fused fp16 KV cache of
n_generate slots per sequence is pre-allocated (context = the generated length, the prompt fills and
rolls it), the prompt is prefilled in one forward (prompt), max_memory_allocated GiB, summed over the
two GPUs for Mixtral. Runtime autoawq at the release each table came from.
Models as the README names them: Vicuna 7B -> vicuna-7b (v1.5, Llama 2 shape), Mistral 7B -> mistral-7b.""")
    autoawq(m, by_prefix.pop("autoawq-rtx4090") + by_prefix.pop("autoawq-2x4090"))

    m.group("""
--- optimum GPTQ benchmark (tests/benchmark/README.md @87fcf9f0): Llama-2-13b-chat (llama-2-13b), A100-80GB,
eager attention, prompt 512 then 512 new tokens (generation) or 1 (prefill); transformers 4.32 (4.35 for
the exllamav2 rows); memory = torch peak allocated + non-torch memory (CUDA context), MB = 1e6 B.
bitsandbytes 4-bit FP4 rows use int4 (bnb 4-bit with an fp32 absmax per 64 weights, as FP4).""")
    optimum(m, by_prefix.pop("optimum-gptqbench"))

    m.group("""
--- transformers model docs, SDPA tables (gpt2.md, gpt_neox.md), fp16, RTX 3080 Ti 16GB, eager vs SDPA;
generate() with 100 new tokens (the script family's default); max_memory_allocated x 1e-6 "MB".
Version not printed: the tables come from transformers PRs #31031 (GPT-NeoX, 2024-05-25) and #31172
(GPT-2, 2024-06-01), run on main at 4.42.0.dev0, recorded as transformers@4.42.""")
    tf_doc(m, by_prefix.pop("tf-doc"))

    m.group("""
--- vLLM startup logs (llm-d-planner accuracy campaign, v0.19.0, H100 80GB, 79.19 GiB visible): per-GPU
profiler lines. max_num_batched_tokens 8192 sets the profiled activation peak whatever max_model_len is;
gpu_memory_utilization 0.95. Version sweep (v0.15-0.18) JSONs: same quantities for Qwen3-14B.
Quantised checkpoints: fp8-dynamic / fp8 -> fp8, w8a8 (int8 weights, per-channel scales) -> int8,
w4a16 (GPTQ, marlin) -> gptq-4bit, gpt-oss MXFP4 -> mxfp4. -Instruct / -it checkpoints use their base
entries (same architecture); gemma-3 -it checkpoints also load a vision tower the entries lack. Compared: weights, activation peak, total
non-KV memory (per GPU) and the KV memory vLLM allocates on an h100-sxm5. CUDA-graph memory is compared with the
graphs part of the overhead. Not compared: the non-torch increase and memory at worker init (no separate quantity in the estimate) and the
KV size in tokens (it repeats the KV memory).""")
    vllm(m, by_prefix.pop("vllm-llmd"))

    m.group("""
--- llama.cpp host-memory placements (issue 20): -ngl partial offload and --cpu-moe.
llama.cpp issue 13729: Qwen3-30B-A3B Q4_K_M, -ngl 30 of 48 blocks on an RTX 4080 SUPER; the load_tensors log splits the
weights into the CUDA0 buffer (30 blocks) and the CPU_Mapped buffer (18 blocks, token embedding, output head).""")
    for c in by_prefix.pop("llamacpp-issue13729"):
        opts = {"quant": "q4_k_m", "runtime": "llama.cpp", "context": 4096, "gpuLayers": 30, "measure": "log"}
        for figure, compare in ((0, "weightsGpuPlaced"), (1, "weightsHostPlaced")):
            m.add(c["id"], figure, "qwen3-30b-a3b", opts, compare, "MiB", 0.05, gpu="rtx-4080-super")
    m.comment("ik_llama.cpp PR 841: gpt-oss-20b MXFP4 with --cpu-moe on a Ryzen 9 7950X + RTX 4080, generation from an empty cache")
    m.comment("(context 512: the 512 generated tokens), host memory at the default bandwidth (the source does not state it).")
    for c in by_prefix.pop("ikllama-pr841"):
        opts = {"quant": "mxfp4_moe", "runtime": "llama.cpp", "context": 512, "cpuMoe": True, "measure": "log"}
        m.add(c["id"], 0, "gpt-oss-20b", opts, "decodeTokensPerSecond", "tokens/s", 0.25, gpu="rtx-4080")

    m.comment("llama.cpp issue 12968: llama-server with a Qwen2.5-0.5B draft (-md, -cd 512) for Qwen2.5-72B, both IQ4_XS, flash")
    m.comment("attention on; the draft context's KV (f16: the server did not pass -ctk/-ctv to the draft) and compute buffer lines.")
    for c in by_prefix.pop("llamacpp-issue12968"):
        opts = {"quant": "iq4_xs", "runtime": "llama.cpp", "context": 512, "flashAttention": "on", "kvCache": "q8_0",
                "draft": "qwen2.5-0.5b", "draftQuant": "iq4_xs", "measure": "log"}
        m.add(c["id"], 0, "qwen2.5-72b", opts, "draftKvCache", "MiB", 0.01)
        m.add(c["id"], 1, "qwen2.5-72b", opts, "draftComputeBuffer", "MiB", T_INFER)

    m.comment("gpustack/gguf-parser-go issue 44: llama.cpp's clip compute buffer for gemma3's mmproj on an MI300X, one image")
    m.comment("at 896 px, flash attention on (figure 0) and off (figure 1), from llama.cpp's own fit_params report.")
    for c in by_prefix.pop("ggufparser-issue44"):
        for figure, flash in ((0, "on"), (1, "off")):
            opts = {"quant": "q4_k_m", "runtime": "llama.cpp", "context": 4096, "flashAttention": flash, "measure": "log"}
            m.add(c["id"], figure, "gemma-3-27b", opts, "visionWorkspace", "MiB", T_INFER)

    assert not by_prefix, by_prefix.keys()
    m.write(os.path.join(RES, "independent-inference-cases.yaml"), HEADER.format(published="independent-inference.yaml"))
    return m


# ----------------------------------------------------------------------------------------- fine-tuning

def gb_unit(f):
    u = f["unit"]
    if u.startswith("GiB"):
        return "GiB"
    if u.startswith("MiB"):
        return "MiB"
    if u == "B":
        return "B"
    return "GB"


# The transformers release of a QLoRA run's time stands for its bitsandbytes: before 4.43 (July 2024) bitsandbytes
# was older than 0.43.2, whose 4-bit matmul kept its input for backward (bitsandbytes PR #1270).
def bnb_era(opts, transformers):
    if opts.get("mode") == "qlora" or str(opts.get("quant", "")).startswith("nf4"):
        opts["runtime"] = "transformers@" + transformers
    return opts


def outcome(m, cid, model, opts, gpu):
    m.add(cid, 0, model, opts, "fitsOnGpu", "outcome", 0, gpu=gpu)


LITGPT_HEAD_ALL = "all-linear,lm_head"


def litgpt_targets(text):
    t = text.replace(" ", "")
    if t.startswith("query,value") or t.startswith("query,value("):
        return "q_proj,v_proj"
    if t.startswith("query,key,value,projection,mlp,head"):
        return LITGPT_HEAD_ALL
    raise ValueError(text)


def litgpt_dropout(cid, model, s):
    """LoRA dropout of a LitGPT run: the stated one, or for a config-hub run its config's lora_dropout
    (Lightning-AI/litgpt config_hub/finetune/<model>/{lora,qlora}.yaml @5895df10 and @00af8b0d: 0.1 for the
    gemma, gemma-2 families, 0.05 for every other model)."""
    if "lora_dropout" in s and s["lora_dropout"] is not None:
        return float(s["lora_dropout"])
    if cid.startswith("litgpt-hub-"):
        return 0.1 if model.startswith("gemma") else 0.05
    return None


def litgpt(m, cases):
    for c in cases:
        cid = c["id"]
        s = c["settings"]
        model = catalog_id(c)
        if model is None:
            m.unreproduced(cid, "StableLM-Alpha 3B is not in the catalog")
            continue
        if c["mode"] == "other":
            m.unreproduced(cid, "LLaMA-Adapter (v1/v2) is not a mode of llmplan")
            continue
        if c["trust"] == "low":
            m.unreproduced(cid, "the 1xA10G full fine-tune figure is below the bare model states (8 B per parameter "
                                "in pure bf16 AdamW) for one GPU: most likely an FSDP run on 4 GPUs (research notes)")
            continue
        if cid == "litgpt-hub-tiny-llama-full-mb4-4xa10g":
            m.unreproduced(cid, "repeats litgpt-hub-tiny-llama-full-mb4-1xa10g (its config runs on 1 device)")
            continue
        prec = str(c["precision"]) + " " + str(s.get("precision", ""))
        quant = "nf4-dq" if "nf4-dq" in prec else "nf4" if ("nf4" in prec.lower()) else "bf16"
        mixed = "bf16-mixed" in prec
        mode = {"lora": "lora", "qlora": "qlora", "full-finetune": "train"}[c["mode"]]
        devices = 1
        hw = str(c["hardware"])
        if cid.endswith("-2xa100"):
            devices = 2
        elif s.get("config_devices"):
            devices = int(s["config_devices"])
        ctx = int(c["context_length"])
        opts = {"mode": mode, "quant": "fp32" if mixed else quant,
                "precision": "bf16-mixed" if mixed else "bf16-pure", "optimizer": "adamw",
                "gradCheckpointing": "full" if devices > 1 else "none",
                "loraRank": int(s["lora_r"]) if mode != "train" else None,
                "loraTargets": litgpt_targets(s["targets"]) if mode != "train" else None,
                "loraDropout": litgpt_dropout(cid, model, s) if mode != "train" else None,
                "context": ctx, "batch": int(c["batch_size"]), "zero": "fsdp" if devices > 1 else None,
                "gpus": devices if devices > 1 else None, "trainer": "litgpt", "chunkedLoss": True,
                "measure": "allocated"}
        # litgpt's bitsandbytes: 0.41.1 (the tutorial's stated stack, 2023) and 0.42 (config hub, May 2024); its
        # torch.optim.AdamW steps with foreach as the HF Trainer of that era did: transformers 4.42 (the last release
        # before bitsandbytes 0.43.2, after the Mistral-code rotary buffers LitGPT never had) stands for that stack.
        opts["runtime"] = "transformers@4.42"
        # litgpt's FSDPStrategy wraps whole Blocks (auto_wrap_policy={Block}) and Lightning sets use_orig_params, so
        # a block's frozen weights and LoRA share a flat parameter; its recipes accumulate gradients (no_sync).
        if devices > 1 and mode != "train":
            opts["fsdpWrap"] = "blocks"
        # LitGPT accumulates global_batch_size // devices // micro_batch_size micro-batches per step (litgpt/args.py
        # TrainArgs.gradient_accumulation_iters@00af8b0d); under FSDP they run under no_sync.
        if s.get("global_batch_size") and s.get("micro_batch_size"):
            opts["gradAccumulation"] = int(s["global_batch_size"]) // devices // int(s["micro_batch_size"])
        # lit-gpt before PR #667 (50b1974b, 2023-10-24) handed SDPA one key/value head against Falcon-7B's 71 query
        # heads; the fused kernels need equal head counts, so the math kernel ran (the source's notes).
        if cid.startswith("litgpt-tut-falcon-7b"):
            opts["flashAttention"] = "off"
        fig = c["figures"][0]
        if value(fig) == "OOM":
            gpu = "a100-40gb-sxm4" if "A100" in hw else "a10g"
            outcome(m, cid, model, opts, gpu)
            continue
        m.add(cid, 0, model, opts, "perGpuPeakAllocated" if devices > 1 else "peakAllocated", gb_unit(fig), T_TRAIN)


def peft_mc(m, cases):
    modes = {"LORA": "lora", "ADALORA": "adalora", "PREFIX_TUNING": "prefix", "PROMPT_TUNING": "prompt",
             "P_TUNING": "p-tuning"}
    variants = {"bdlora": "BD-LoRA", "dora": "DoRA (magnitude vector and weight-norm activations)",
                "lorafa": "LoRA-FA (frozen A, its own optimizer)", "mica": "MiCA"}
    for c in cases:
        cid = c["id"]
        s = c["settings"]
        pc = s.get("peft_config") or {}
        ptype = s["peft_type"]
        variant = next((v for k, v in variants.items() if cid.endswith(k)), None)
        if ptype not in modes or variant:
            m.unreproduced(cid, f"PEFT method {variant or ptype} is not a mode of llmplan (lora, qlora, adalora, prefix, prompt, p-tuning)")
            continue
        mode = modes[ptype]
        opts = {"mode": mode, "quant": "bf16", "optimizer": "adamw", "gradCheckpointing": "none",
                "flashAttention": "on", "context": 768, "batch": 4, "trainer": "peft-method-comparison",
                "compile": False}
        if mode in ("lora", "adalora"):
            opts["loraRank"] = int(pc.get("target_r") or pc["r"]) if mode == "adalora" else int(pc["r"])
            opts["loraTargets"] = ",".join(pc["target_modules"])
        else:
            opts["virtualTokens"] = int(pc["num_virtual_tokens"])
        # "mem allocated avg" is logged after each optimizer step while the loop still holds the step's outputs (their
        # bf16 logits; the source's notes): batches average about 210 tokens per sample (4,198,051 tokens over 20,000
        # samples, padded per length bucket, so at least that), the context this figure is compared at.
        m.add(cid, 1, "llama-3.2-3b", dict(opts, context=210, measure="allocated"), "modelStatesWithOutputLogits", "B",
              T_TRAIN)
        m.add(cid, 3, "llama-3.2-3b", dict(opts, measure="reserved"), "peakReserved", "B", T_TRAIN)


def fms(m, cases):
    for c in cases:
        cid = c["id"]
        s = c["settings"]
        model = catalog_id(c)
        if model is None:
            m.unreproduced(cid, "SantaCoder (gpt_bigcode-santacoder) is not in the catalog")
            continue
        fw = s["framework"]
        gpus = int(s["num_gpus"])
        qlora = c["mode"] == "qlora"
        gptq = "gptq" in cid
        mode = "train" if c["mode"] == "full-finetune" else "qlora" if qlora else "lora"
        if gptq:
            quant, precision = "gptq-4bit", "fp16-mixed"
        elif qlora:
            quant, precision = "nf4-dq", "bf16-mixed"
        else:
            quant, precision = "bf16", "bf16-pure"
        # fms-hf-tuning's sft_trainer is TRL's SFTTrainer; the accelerated runs go through fms-acceleration's plugins
        trainer = "fms" if "accelerated" in fw else "trl"
        opts = {"mode": mode, "quant": quant, "precision": precision, "optimizer": "adamw", "gradCheckpointing": "full",
                "flashAttention": "on", "context": int(c["context_length"]), "batch": int(c["batch_size"]),
                "zero": "fsdp" if gpus > 1 else None, "gpus": gpus if gpus > 1 else None,
                "loraRank": int(s["lora_r"]) if mode != "train" else None,
                "loraTargets": "q_proj,k_proj,v_proj,o_proj" if mode != "train" else None,
                "loraDropout": float(s["lora_dropout"]) if mode != "train" else None,
                "packing": True, "trainer": trainer,
                "gradAccumulation": 1}  # benchmark default: gradient_accumulation 1
        opts["runtime"] = "transformers@4.48"  # stated: transformers 4.48.1, bitsandbytes 0.43.3 (every run)
        if value(c["figures"][0]) == "OOM":
            outcome(m, cid, model, dict(opts, measure="device"), "a100-80gb-sxm4")
            continue
        m.add(cid, 0, model, dict(opts, measure="allocated"), "perGpuPeakAllocated", "B", T_TRAIN)
        m.add(cid, 1, model, dict(opts, measure="allocated"), "modelStatesNoGradsPerGpu", "B", T_TRAIN)
        m.add(cid, 2, model, dict(opts, measure="device"), "perGpuTotal", "MiB", T_TRAIN)


ANSWERAI_TARGETS = "k_proj,q_proj,v_proj,up_proj,down_proj,gate_proj"


def answerai(m, cases):
    for c in cases:
        cid = c["id"]
        s = c["settings"]
        model = catalog_id(c)
        ddp = "NO_SHARD" in s["sharding_strategy"]
        qlora = c["mode"] == "qlora"
        # train.py@4cd69234 l.586-587 builds Linear4bit(quant_type='nf4') without compress_statistics, whose
        # bitsandbytes default is True: NF4 with double quantisation.
        opts = {"mode": c["mode"], "quant": "nf4-dq" if qlora else "bf16", "precision": "bf16-pure", "optimizer": "adamw",
                "gradCheckpointing": "full", "loraRank": 64, "loraTargets": ANSWERAI_TARGETS, "loraDropout": 0.1,
                "context": int(c["context_length"]), "batch": int(c["batch_size"]),
                "zero": None if ddp else "fsdp", "offload": "cpu" if s["use_cpu_offload"] else None, "gpus": 2,
                "trainer": "answerai-fsdp"}
        # Benchmarks of February-March 2024: transformers of that time for LoRA and QLoRA alike (the same train.py runs;
        # its causal-LM forward still returned fp32 logits, which the loop holds through backward).
        opts["runtime"] = "transformers@4.39"
        m.add(cid, 0, model, dict(opts, measure="reserved"), "perGpuPeakReserved", "GiB", T_TRAIN)
        if len(c["figures"]) > 1:
            m.add(cid, 1, model, dict(opts, measure="allocated"), "perGpuPeakAllocated", "GiB", T_TRAIN)


def torchtune(m, cases):
    mapped = {
        "torchtune-may24-llama2-7b-qlora-4090-bs4-s2048":
            {"mode": "qlora", "quant": "nf4", "loraRank": 8, "loraTargets": "all-linear", "gradCheckpointing": "full",
             "compile": True},
        "torchtune-may24-llama2-7b-lora-4090-bs4-s2048":
            {"mode": "lora", "quant": "bf16", "loraRank": 8, "loraTargets": "q_proj,v_proj", "gradCheckpointing": "full",
             "compile": False},
        "torchtune-may24-llama2-7b-fullft-4x4090-bs4-s2048":
            # 7B_full.yaml@0217d44c: gradient_accumulation_steps 1 (the recipe has no no_sync either).
            {"mode": "train", "quant": "bf16", "gradCheckpointing": "full", "zero": "fsdp", "gpus": 4,
             "gradAccumulation": 1},
    }
    reasons = {
        "torchtune-may24-llama2-7b-lora-2x4090-bs4-s2048": "activation checkpointing of the run is not stated: the linked"
            " config has it off, and without it the activations of batch 4 x 2048 tokens alone exceed the 16.2 GB reported",
        "torchtune-may24-llama2-7b-fullft-4090-bs4-s2048": "optimizer-in-backward with bitsandbytes PagedAdamW: states paged"
            " to host memory and gradients freed per parameter are not expressible",
        "torchtune-may24-llama2-70b-fullft-8xa100-bs4-s4096": "its config is not in the repository at that commit (low trust)",
        "torchtune-may24-llama2-70b-lora-8xa100-bs4-s4096": "unpacked Alpaca of variable length: 4 full 4096-token"
            " sequences cannot have run, since full checkpointing alone keeps 80 layer inputs x 16384 tokens x 8192 x 2 B"
            " = 21.5 GB per GPU, more than the 26.4 GB reported less the 17.2 GB of bf16 weights sharded over 8",
        "torchtune-e2e-llama32-3b-lora-after-init": "the LoRA settings of the end-to-end tutorial are not in the record;"
            " the figure is weights plus adapters right after init",
    }
    for c in cases:
        cid = c["id"]
        if cid in mapped:
            o = mapped[cid]
            opts = dict(o)
            opts.update({"precision": "bf16-pure", "optimizer": "adamw", "context": int(c["context_length"]),
                         "batch": int(c["batch_size"]), "trainer": "torchtune", "measure": "unstated",
                         # May 2024: torch.optim.AdamW with foreach, as the HF Trainer of that era
                         "runtime": "transformers@4.42"})
            gpus = o.get("gpus", 1)
            fig = c["figures"][0]
            m.add(cid, 0, catalog_id(c), opts, "perGpuPeakReserved" if gpus > 1 else "peakReserved", gb_unit(fig), T_TRAIN)
        elif cid in reasons:
            m.unreproduced(cid, reasons[cid])
        elif "ao1433" in cid:
            m.unreproduced(cid, "batch, rank and optimizer are in a gist that is not available, and the figure is approximate ('~43gb', '~52gb'; low trust)")
        else:
            m.unreproduced(cid, "unpacked Alpaca of variable length: the sequence length that sets the peak is not stated")


def peftdoc(m, cases):
    base = {"loraRank": 8, "loraTargets": "all-linear", "loraDropout": 0.1, "gradCheckpointing": "full",
            "flashAttention": "on", "optimizer": "adamw", "packing": True, "trainer": "hf", "measure": "device"}
    for c in cases:
        cid = c["id"]
        fig = c["figures"][0]
        if "72-80" in value(fig):
            m.unreproduced(cid, "the figure is a range (72-80 GB), not a measurement")
            continue
        qlora = c["mode"] == "qlora"
        opts = dict(base)
        opts.update({"mode": c["mode"], "quant": "nf4-dq" if qlora else "fp32", "precision": "bf16-mixed",
                     "context": int(c["context_length"]), "batch": int(c["batch_size"]),
                     "zero": 3 if "zero3" in cid else "fsdp", "offload": "cpu" if "cpuoffload" in cid else None,
                     "gpus": 8 if "8xh100" in cid else 2})
        bnb_era(opts, "4.38")  # text of March 2024
        m.add(cid, 0, "llama-2-70b", opts, "perGpuTotal", "GiB", T_TRAIN)


def llamafactory(m, cases):
    for c in cases:
        cid = c["id"]
        qlora = c["mode"] == "qlora"
        opts = {"mode": c["mode"], "quant": "nf4" if qlora else "bf16", "optimizer": "adamw", "loraRank": 8,
                "loraTargets": "q_proj,v_proj", "gradCheckpointing": "full",
                "flashAttention": "on" if "fa2" in cid else "off", "context": 1024, "batch": 4, "trainer": "hf",
                "measure": "unstated"}
        bnb_era(opts, "4.35")  # late 2023
        m.add(cid, 0, "llama-2-7b", opts, "total", "GB", T_TRAIN)


def finetune():
    cases = yaml.safe_load(open(os.path.join(RES, "independent-finetune.yaml")))
    groups = {}
    for c in cases:
        cid = c["id"]
        key = next(p for p in ("peft-mc", "litgpt", "fms", "answerai", "torchtune", "peftdoc", "llamafactory", "unsloth")
                   if cid.startswith(p))
        groups.setdefault(key, []).append(c)
    m = Mapping("independent-finetune.yaml")

    m.group("""
--- PEFT method comparison (huggingface/peft method_comparison/MetaMathQA @5d602fd): Llama-3.2-3B in pure bf16,
fp32 adapters (autocast_adapter_dtype, like llmplan's LoRA default precision), AdamW, batch 4, padded
to the longest sample of a bucket (768-token cap: context 768), SDPA, no checkpointing, 1x L40S.
Figure 1 = memory_allocated after the optimizer step (weights + grads + states + adapters: modelStates);
figure 3 = 99th percentile of memory_reserved after a step (peakReserved). AdaLoRA: loraRank = target_r.
Not compared: figure 0 (maximum over the run, which includes the batch-50 generation evaluation) and
figure 2 (a mean over steps of varying length).""")
    peft_mc(m, groups.pop("peft-mc"))

    m.group("""
--- litgpt resource tables (A100-SXM4-40GB, bf16-true, Alpaca: context = the longest sample, forced into
the first step), config hub table (A10G, max_seq_length 512) and tutorials: "Memory used" =
max_memory_allocated / 1e9. lm_head and cross-entropy run in 128-token chunks (chunkedLoss); LoRA
dropout 0.05; quantised runs use bnb PagedAdamW, which is 32-bit AdamW (optimizer adamw); Fabric's
bnb plugin quantises every Linear including lm_head. Multi-GPU rows: FSDP with per-block checkpointing.
OOM rows compare the fit verdict on the stated card. Mistral-7B-v0.2 uses mistral-7b (same shapes; v0.2
drops the 4096-token sliding window, which does not bind at 512 tokens).""")
    litgpt(m, groups.pop("litgpt"))

    m.group("""
--- fms-acceleration reference benchmarks (scripts/benchmarks/refs/a100_80gb.csv): packed 4096-token
sequences, gradient checkpointing, FA2, AdamW, accelerate FSDP FULL_SHARD over 2 GPUs (1-GPU rows: one
process, no sharding), LoRA r16 on q,k,v,o, dropout 0.1. Full and LoRA runs in pure bf16; QLoRA = nf4 with
double quantisation under bf16 AMP (trainer hf = TRL's prepare_model_for_kbit_training, which upcasts
non-4-bit parameters to fp32; trainer fms = the plugin without that upcast); GPTQ-LoRA under fp16 AMP.
Figures: 0 peak allocated on rank 0, 1 allocated after training on rank 0 (the Trainer's zero_grad has
freed the gradients: weights, adapters and optimizer states; under FSDP the flat parameters' gradient shards
stay until the next forward), 2 nvidia-smi peak per GPU.""")
    fms(m, groups.pop("fms"))

    m.group("""
--- Answer.AI fsdp_qlora benchmarks (benchmarks_03_2024.md): 2x RTX 3090/4090, dummy data of exactly
the context length, LoRA r64 on q,k,v,gate,up,down (no o_proj), dropout 0.1, pure bf16, FSDP
FULL_SHARD (ddp rows: NO_SHARD) with activation checkpointing, AdamW; max_memory_reserved per GPU, GiB.
The 4-bit base is NF4 with double quantisation (train.py builds Linear4bit(quant_type='nf4') and bitsandbytes
defaults compress_statistics to True), its quant_state on every GPU. Mistral-7B-v0.2 uses mistral-7b (same shapes;
v0.2 has no sliding window, so the 24576-token row attends over the whole sequence).""")
    answerai(m, groups.pop("answerai"))

    m.group("""
--- torchtune README (May 2024, batch 4, seq 2048 / 4096 for 70B) : which of active / allocated / reserved
the table quotes is not stated (the Feb-2024 README said reserved), compared as peakReserved.""")
    torchtune(m, groups.pop("torchtune"))

    m.group("""
--- PEFT accelerate docs (deepspeed.md, fsdp.md): Llama-2-70B, packed 2048-token sequences, FA2, LoRA r8 on
all linear layers, dropout 0.1, bf16 AMP; LoRA rows load fp32 weights (no torch_dtype at that commit);
QLoRA rows nf4 with nested quantisation stored in bf16. Per-GPU memory from a screenshot of a device
monitor (CUDA context included); "64 GB (80%)" of an 80 GiB card is GiB.""")
    peftdoc(m, groups.pop("peftdoc"))

    m.group("""
--- LLaMA-Factory wiki comparison quoted in the unsloth README: Llama-2-7B, batch 4, max length 1024, LoRA r8
(default q_proj,v_proj then), checkpointing on by default; "GRAM" in whole GB, method not stated: compared
with the whole total. The HF rows without FA2 ran transformers' eager attention (late 2023).""")
    llamafactory(m, groups.pop("llamafactory"))

    for c in groups.pop("unsloth"):
        m.unreproduced(c["id"], "derived from a linear fit of maximum context per VRAM size (kind: derived), not a measurement")
    assert not groups, groups.keys()
    m.write(os.path.join(RES, "independent-finetune-cases.yaml"), HEADER.format(published="independent-finetune.yaml"))
    return m


if __name__ == "__main__":
    for mp in (inference(), finetune()):
        n = sum(1 for line in mp.lines if line.startswith("  - "))
        print(f"{mp.published}: {n} mapped figures from {len(mp.mapped_cases)} cases, "
              f"{len(mp.unrep)} unreproduced entries", file=sys.stderr)
