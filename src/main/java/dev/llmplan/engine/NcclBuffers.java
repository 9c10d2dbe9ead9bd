package dev.llmplan.engine;

/**
 * What NCCL allocates on every GPU of a multi-GPU PyTorch run (DDP, FSDP, DeepSpeed all communicate through one
 * NCCL communicator per GPU, ProcessGroupNCCL's default group). NCCL takes it with cudaMalloc/cuMem outside
 * PyTorch's caching allocator: nvidia-smi shows it, torch.cuda.max_memory_reserved does not, and the allocator can
 * never release it.
 * <p>
 * The size follows NCCL's own sizes (2.18-2.21, the releases PyTorch 2.1-2.5 ship, which connect every algorithm
 * when the communicator is made):
 * <ul>
 * <li>each channel's ring connection holds a receive buffer for the LL (0.5 MiB), LL128 (4.6875 MiB) and SIMPLE
 *     (4 MiB, NCCL_BUFFSIZE) protocols and a send buffer, each rounded up to 2 MiB: 12 MiB a channel whichever side
 *     holds SIMPLE (src/init.cc l.542-544, src/transport/p2p.cc l.356-357 and 421-422, CUDA_IPC_MIN in
 *     src/include/comm.h l.32, all at v2.21.5-1);</li>
 * <li>with more than two GPUs the tree is a chain beside the ring, and a rank in its middle connects once more each
 *     way: another 12 MiB a channel (two GPUs reuse the ring's connections, src/transport.cc l.48-53);</li>
 * <li>the proxy's shared buffer: 32 p2p channels x 16 steps x 512 KiB chunks over NVLink (src/transport/net.cc
 *     l.501, src/init.cc l.550-551) = 256 MiB;</li>
 * <li>24 channels, NCCL's count for A100 and H100 with NVSwitch (its topology search).</li>
 * </ul>
 * This reproduces NVIDIA/nccl#964's measurement with PyTorch on A100s over NVLink: 544 MiB per GPU for a two-GPU
 * group (24 x 12 + 256); its 688 MiB for larger groups was read on rank 0, the chain's end, which adds only a
 * receive (24 x 6 MiB). Over PCIe NCCL uses about 2 channels (and without P2P keeps its buffers in host memory), so
 * the figure is an upper bound there. Left out, each a few hundred MiB either way: NCCL 2.22+ connects the ring on
 * first use and skips the proxy buffer (src/init.cc l.1153, v2.22.3-1), cuMem (2.19+) rounds each channel's small
 * structures to 2 MiB, and NCCL's own kernels load into the CUDA context.
 */
public final class NcclBuffers {
    private NcclBuffers() {
    }

    static final String SOURCE = "NVIDIA/nccl v2.21.5-1 src/init.cc l.542-544 (protocol buffers), src/transport/p2p.cc"
            + " (2 MiB rounding), src/transport/net.cc l.501 (proxy buffer); measured 544 MiB for 2 GPUs on A100 NVLink,"
            + " NVIDIA/nccl#964";
    /**
     * Collective channels NCCL builds over NVLink/NVSwitch on A100 and H100: its ring search finds 6 channels at the
     * link speed, ncclTopoDupChannels doubles them (bandwidth >= 25) and ncclTopoPostset doubles again
     * (v2.21.5-1 src/graph/search.cc l.835-856, src/graph/connect.cc l.443); 24 x 12 + 256 MiB is #964's 544 MiB.
     */
    static final int CHANNELS = 24;
    /** A send plus a receive connection of one channel, each side rounded to CUDA_IPC_MIN (2 MiB). */
    static final long CONNECTION_PAIR_BYTES = 12 * Bytes.MIB;
    /** 32 p2p channels x NCCL_SHARED_STEPS 16 x 512 KiB chunks. */
    static final long PROXY_BUFFER_BYTES = 32L * 16 * 512 * 1024;

    /** Bytes on each GPU of a run over {@code gpus} GPUs (none on one). */
    static long bytes(int gpus) {
        if (gpus < 2) {
            return 0;
        }
        return CHANNELS * pairs(gpus) * CONNECTION_PAIR_BYTES + PROXY_BUFFER_BYTES;
    }

    /** Connection pairs a channel holds: the ring's, and with more than two GPUs the tree chain's too. */
    private static int pairs(int gpus) {
        return gpus > 2 ? 2 : 1;
    }

    /** The per-GPU part of a run over {@code gpus} > 1 GPUs. */
    public static Part part(int gpus) {
        long bytes = bytes(gpus);
        return Part.perGpu(Component.OVERHEAD, Bytes.of(bytes), Fmt.format(
                "NCCL communicator buffers, outside PyTorch's allocator: %d channels x %d MiB (%s) + %d MiB proxy"
                        + " buffer = %d MiB per GPU (NVLink's channel count: fewer over PCIe)",
                CHANNELS, pairs(gpus) * CONNECTION_PAIR_BYTES / Bytes.MIB,
                gpus > 2 ? "ring, and the tree chain's second pair" : "ring send and receive",
                PROXY_BUFFER_BYTES / Bytes.MIB, bytes / Bytes.MIB), SOURCE).as(Part.Role.NCCL_BUFFERS);
    }
}
