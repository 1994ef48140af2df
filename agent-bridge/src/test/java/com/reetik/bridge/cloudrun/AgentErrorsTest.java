package com.reetik.bridge.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.status.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AgentErrorsTest {

    @Test
    void classifiesTheErrorTextsOfDesign() {
        // Given / When / Then
        assertThat(AgentErrors.classify(400, "Veo could not generate: support code 35561574")).isEqualTo(ErrorCode.THIRD_PARTY_CONTENT);
        assertThat(AgentErrors.classify(0, "the prompt may contain third-party content")).isEqualTo(ErrorCode.THIRD_PARTY_CONTENT);
        assertThat(AgentErrors.classify(0, "{\"raiMediaFilteredCount\": 1}")).isEqualTo(ErrorCode.USAGE_GUIDELINES);
        assertThat(AgentErrors.classify(0, "{\"raiMediaFilteredCount\": 0, \"error\": \"boom\"}")).isEqualTo(ErrorCode.DEFAULT);
        assertThat(AgentErrors.classify(400, "violates Responsible AI practices")).isEqualTo(ErrorCode.USAGE_GUIDELINES);
        assertThat(AgentErrors.classify(429, "slow down")).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(AgentErrors.classify(500, "RESOURCE_EXHAUSTED")).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(AgentErrors.classify(500, "ffmpeg crashed")).isEqualTo(ErrorCode.DEFAULT);
    }

    @Test
    void retriesUsageGuidelinesOnlyWhenAskedAndNeverThirdPartyContent() {
        assertThat(AgentErrors.exception("video", 0, "usage guidelines", true).retryable()).isTrue();
        assertThat(AgentErrors.exception("video", 0, "usage guidelines", false).retryable()).isFalse();
        assertThat(AgentErrors.exception("video", 0, "code 35561575", true).retryable()).isFalse();
        assertThat(AgentErrors.exception("video", 400, "bad prompt", true).retryable()).isFalse();
        assertThat(AgentErrors.exception("video", 503, "down", true).retryable()).isTrue();
    }
}
