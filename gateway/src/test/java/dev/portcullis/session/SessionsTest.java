package dev.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.model.Agent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final Sessions sessions = new Sessions(Duration.ofHours(1));
  private final Agent alice = agent("alice", "key-a");
  private final Agent mallory = agent("mallory", "key-m");

  @Test
  void echoedHandleContinuesTheSameSession() throws Exception {
    Session session = sessions.open(alice);
    assertThat(sessions.resolve(sessions.handle(session), alice).id()).isEqualTo(session.id());
  }

  @Test
  void droppedHandleStartsNewTrajectoryButKeepsCredentialState() {
    Session first = sessions.open(alice);
    first.countCall();
    first.recordToolCalled("acme.crm_search", Set.of("private_data"));

    Session second = sessions.open(alice);

    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.labels()).containsExactly("private_data");
    assertThat(second.calls()).isEqualTo(1);
    assertThat(second.toolsCalled()).containsExactly("acme.crm_search");
  }

  @Test
  void forgedHandleIsRefused() {
    Session session = sessions.open(alice);
    String forged = session.id() + ".AAAAAAAAAAAAAAAAAAAAAA";
    assertThatThrownBy(() -> sessions.resolve(forged, alice))
        .isInstanceOf(Sessions.InvalidHandle.class)
        .hasMessageContaining("forged or foreign");
  }

  @Test
  void anotherCredentialsHandleIsRefused() {
    String handle = sessions.handle(sessions.open(alice));
    assertThatThrownBy(() -> sessions.resolve(handle, mallory))
        .isInstanceOf(Sessions.InvalidHandle.class)
        .hasMessageContaining("was not issued to this credential");
  }

  @Test
  void madeUpHandleIsRefused() {
    assertThatThrownBy(() -> sessions.resolve("hello", alice))
        .isInstanceOf(Sessions.InvalidHandle.class)
        .hasMessageContaining("is not one Portcullis issued");
  }

  @Test
  void legacySessionIdIsNotFoundForAnotherCredential() {
    Session session = sessions.open(alice);
    assertThat(sessions.find(session.id(), alice)).isPresent();
    assertThat(sessions.find(session.id(), mallory)).isEmpty();
  }

  @Test
  void revokingACredentialDropsItsSessionsAndState() {
    Session session = sessions.open(alice);
    session.recordToolCalled("acme.tickets_read", Set.of("untrusted_content"));
    sessions.revokeCredential("key-a");
    assertThat(sessions.find(session.id(), alice)).isEmpty();
    assertThat(sessions.open(alice).labels()).isEmpty();
  }

  private static Agent agent(String id, String credential) {
    return new Agent(id, "v1", Set.of("support"), Map.of(), List.of(), credential);
  }
}
