package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProxyHeadersTest {
    @Test
    void hop_by_hop_headers_and_a_forged_decision_id_are_not_returned_whatever_their_case() {
        for (String name : new String[] {
            "Connection",
            "KEEP-ALIVE",
            "Transfer-Encoding",
            "content-length",
            "Clearance-Decision-Id",
            "TE",
            "Trailer",
            "upgrade",
            "Proxy-Authenticate",
            "PROXY-CONNECTION",
            ":status"
        }) {
            assertThat(ProxyHeaders.returned(name)).as(name).isFalse();
        }
    }

    @Test
    void the_upstreams_other_headers_are_returned() {
        for (String name : new String[] {
            "Content-Type",
            "Date",
            "x-request-id",
            "openai-processing-ms",
            "Server",
            "",
            "t",
            "connectio",
            "connections",
            "x-header-longer-than-every-hop-by-hop-name"
        }) {
            assertThat(ProxyHeaders.returned(name)).as(name).isTrue();
        }
    }
}
