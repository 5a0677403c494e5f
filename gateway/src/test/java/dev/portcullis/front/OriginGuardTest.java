package dev.portcullis.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OriginGuardTest {
  private final OriginGuard guard = new OriginGuard(Set.of("gateway.internal"), Set.of("https://console.acme.example"));

  @Test
  void loopbackHostsAndOriginsPass() {
    assertThat(guard.check("127.0.0.1:8080", null)).isEmpty();
    assertThat(guard.check("localhost:8080", "http://localhost:3000")).isEmpty();
    assertThat(guard.check("[::1]:8080", "http://[::1]:5173")).isEmpty();
  }

  @Test
  void foreignHostIsRefusedAsDnsRebinding() {
    assertThat(guard.check("evil.example.com", null)).hasValueSatisfying(m -> assertThat(m).contains("evil.example.com"));
  }

  @Test
  void foreignOriginIsRefused() {
    assertThat(guard.check("127.0.0.1:8080", "http://evil.example.com")).isPresent();
    assertThat(guard.check("127.0.0.1:8080", "null")).isPresent();
  }

  @Test
  void configuredHostAndOriginPass() {
    assertThat(guard.check("gateway.internal:443", "https://console.acme.example")).isEmpty();
  }
}
