package dev.llmplan.yaml;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 16 #5: YAML's number forms (yaml.org/type/int.html and float.html for 1.1; the 1.2 core schema). */
class YamlNumbersTest {
    @Test
    void integerFormsOfYaml11AndTheOctalOf12() throws Exception {
        assertThat(YamlNumbers.integer("1_000")).isEqualTo(1000);
        assertThat(YamlNumbers.integer("0x10")).isEqualTo(16);
        assertThat(YamlNumbers.integer("-0x_1F")).isEqualTo(-31);
        assertThat(YamlNumbers.integer("0b101")).isEqualTo(5);
        assertThat(YamlNumbers.integer("0o17")).isEqualTo(15);
        assertThat(YamlNumbers.integer("+12")).isEqualTo(12);
        assertThat(YamlNumbers.integer("0")).isEqualTo(0);
        assertThat(YamlNumbers.integer("99999999999999999999")).isEqualTo(new BigInteger("99999999999999999999"));
    }

    @Test
    void aLeadingZeroIsRefusedBecauseTheTwoVersionsDisagree() {
        // YAML 1.1: 017 is octal (15); YAML 1.2 core schema: decimal 17.
        assertThatThrownBy(() -> YamlNumbers.integer("017")).isInstanceOf(YamlNumbers.NotANumber.class)
                .hasMessageContaining("ambiguous").hasMessageContaining("write 17 (decimal) or 0o17 (octal)");
        assertThatThrownBy(() -> YamlNumbers.decimal("-017")).hasMessageContaining("write -17 (decimal) or -0o17 (octal)");
    }

    @Test
    void floatsAreFiniteOrRefused() throws Exception {
        assertThat(YamlNumbers.decimal("1.5e3")).isEqualTo(1500);
        assertThat(YamlNumbers.decimal("1_000.5")).isEqualTo(1000.5);
        assertThat(YamlNumbers.decimal(".5")).isEqualTo(0.5);
        assertThat(YamlNumbers.decimal("0x10")).isEqualTo(16);
        assertThat(YamlNumbers.decimal("80")).isEqualTo(80);
        for (String s : new String[] {".inf", "-.inf", "+.INF", ".nan", ".NaN"}) {
            assertThatThrownBy(() -> YamlNumbers.decimal(s)).as(s).hasMessageContaining("must be a finite number");
        }
        assertThatThrownBy(() -> YamlNumbers.decimal("1e400")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> YamlNumbers.decimal("1e99999999999")).hasMessageContaining("out of range");
    }

    @Test
    void onlyAsciiDigitsAndBoundedLengths() {
        assertThatThrownBy(() -> YamlNumbers.integer("\uff11\uff12")).isInstanceOf(YamlNumbers.NotANumber.class);
        assertThatThrownBy(() -> YamlNumbers.integer("1".repeat(100))).hasMessageContaining("not a number llmplan reads");
        assertThat(YamlNumbers.isOctal12("0o17")).isTrue();
        assertThat(YamlNumbers.isOctal12("017")).isFalse();
    }
}
