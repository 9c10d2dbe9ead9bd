package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.device.DetectedGpu;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.plan.HardwareSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Detected cards map to catalog GPUs by their model words and memory, as nvidia-smi and rocm-smi name them. */
class LocalGpusTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();
    private static final long MIB = 1024L * 1024;

    private static GpuSpec match(String vendor, String name, long totalMiB) {
        return LocalGpus.match(new DetectedGpu(0, name, vendor, totalMiB * MIB, 0L, "test", null), CATALOG.gpus());
    }

    /** Names and memory.total as nvidia-smi / rocm-smi report them on these cards. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "nvidia|NVIDIA GeForce RTX 4090|24564|rtx-4090",
            "nvidia|NVIDIA GeForce RTX 4060 Ti|16380|rtx-4060-ti-16gb",
            "nvidia|NVIDIA GeForce RTX 4060 Ti|8188|rtx-4060-ti-8gb",
            "nvidia|NVIDIA GeForce RTX 3060|12288|rtx-3060-12gb",
            "nvidia|NVIDIA A100-SXM4-80GB|81920|a100-80gb-sxm4",
            "nvidia|NVIDIA A100 80GB PCIe|81920|a100-80gb-pcie",
            "nvidia|NVIDIA A100-PCIE-40GB|40960|a100-40gb-pcie",
            "nvidia|NVIDIA H100 80GB HBM3|81559|h100-sxm5",
            "nvidia|NVIDIA H100 PCIe|81559|h100-pcie",
            "nvidia|NVIDIA H100 NVL|95830|h100-nvl",
            "nvidia|NVIDIA H200|143771|h200-sxm",
            "nvidia|NVIDIA B200|183359|b200",
            "nvidia|Tesla T4|15360|t4",
            "nvidia|Tesla V100-SXM2-16GB|16160|v100-sxm2-16gb",
            "nvidia|NVIDIA A10G|23028|a10g",
            "nvidia|NVIDIA A10|23028|a10",
            "nvidia|NVIDIA L40S|46068|l40s",
            "nvidia|NVIDIA RTX A6000|49140|rtx-a6000",
            "nvidia|NVIDIA RTX 6000 Ada Generation|49140|rtx-6000-ada",
            "nvidia|NVIDIA GH200 480GB|97871|gh200",
            "amd|AMD Instinct MI300X OAM|196288|mi300x",
            "apple|Apple M3 Max|27648|apple-m3-max",
            "nvidia|NVIDIA GeForce RTX 4060|8188|rtx-4060",
            "amd|AMD Radeon RX 7900 XTX|24560|rx-7900-xtx",
            "apple|Apple M3 Pro|12288|apple-m3-pro",       // an 18 GB machine: the chip maps, memory is as detected
            "amd|AMD Instinct MI250X|65536|mi250x",         // rocm-smi lists each GCD as a 64 GiB device
    })
    void knownCardsMapToTheirCatalogEntry(String vendor, String name, long mib, String id) {
        assertThat(match(vendor, name, mib)).as(name).isNotNull().extracting(GpuSpec::id).isEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "nvidia|NVIDIA GeForce RTX 3060|8192",       // the 8 GB 3060 is not the catalog's 12 GB card
            "nvidia|Quadro RTX 6000|24576",              // Turing, not the Ada generation card
            "nvidia|NVIDIA GeForce GTX 1080 Ti|11264",
            "amd|AMD Radeon RX 6800 XT|16368",
    })
    void unknownCardsMatchNothing(String vendor, String name, long mib) {
        assertThat(match(vendor, name, mib)).as(name).isNull();
    }

    @Test
    void plannedMemoryIsWhatIsFreeAndUnknownCardsHaveNoSpeed() {
        DetectedGpu used = new DetectedGpu(0, "NVIDIA GeForce RTX 4090", "nvidia", 24564 * MIB, 1187 * MIB, "nvidia-smi", null);
        DetectedGpu other = new DetectedGpu(1, "NVIDIA GeForce GTX 1080 Ti", "nvidia", 11264 * MIB, 0L, "nvidia-smi", null);
        List<LocalGpus.Card> cards = LocalGpus.cards(List.of(used, other), CATALOG, false);
        assertThat(cards.get(0).planned().usableMemory().value()).isEqualTo((24564 - 1187) * MIB);
        assertThat(cards.get(0).planned().bandwidthGBps()).isEqualTo(CATALOG.findGpu("rtx-4090").orElseThrow().bandwidthGBps());
        assertThat(cards.get(1).planned().id()).isEqualTo("nvidia-geforce-gtx-1080-ti");
        assertThat(cards.get(1).planned().bandwidthGBps()).isZero();
        assertThat(LocalGpus.cards(List.of(used), CATALOG, true).get(0).planned().usableMemory().value()).isEqualTo(24564 * MIB);
        HardwareSpec hw = LocalGpus.hardware(cards, 1);
        assertThat(hw.label()).isEqualTo("rtx-4090, nvidia-geforce-gtx-1080-ti");
        // Two identical cards with the same free memory are one group of two.
        assertThat(LocalGpus.hardware(LocalGpus.cards(List.of(used, used), CATALOG, false), 1).label()).isEqualTo("2x rtx-4090");
    }
}
