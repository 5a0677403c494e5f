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

  @Test
  void handleLessCallsAreNotStoredButCountAgainstTheCredential() {
    for (int i = 0; i < 100; i++) {
      Session call = sessions.begin(alice);
      call.countCall();
      call.recordToolCalled("acme.crm_search", Set.of("private_data"));
    }
    assertThat(sessions.size()).isZero();
    Session next = sessions.begin(alice);
    assertThat(next.calls()).isEqualTo(100);
    assertThat(next.labels()).containsExactly("private_data");
  }

  @Test
  void echoedHandleOfAHandleLessCallContinuesItsTrajectory() throws Exception {
    Session first = sessions.begin(alice);
    String handle = sessions.handle(first);

    Session second = sessions.resolve(handle, alice);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(sessions.size()).isEqualTo(1);
    assertThat(sessions.resolve(handle, alice)).isSameAs(second);
    assertThat(sessions.handle(second)).isEqualTo(handle);
    assertThatThrownBy(() -> sessions.resolve(handle, mallory)).isInstanceOf(Sessions.InvalidHandle.class);
  }

  @Test
  void aCredentialKeepsAtMostTheCapOfSessionsAndLosesItsOldestFirst() {
    Session oldest = sessions.open(alice);
    Session second = sessions.open(alice);
    for (int i = 2; i < Sessions.MAX_SESSIONS_PER_CREDENTIAL; i++) {
      sessions.open(alice);
    }
    Session other = sessions.open(mallory);
    assertThat(sessions.find(oldest.id(), alice)).isPresent();

    Session newest = sessions.open(alice);

    assertThat(sessions.find(oldest.id(), alice)).isEmpty();
    assertThat(sessions.find(second.id(), alice)).isPresent();
    assertThat(sessions.find(newest.id(), alice)).isPresent();
    assertThat(sessions.find(other.id(), mallory)).isPresent();
    assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS_PER_CREDENTIAL + 1);
  }

  @Test
  void closedSessionsFreeTheirPlaceUnderTheCap() {
    for (int i = 0; i < Sessions.MAX_SESSIONS_PER_CREDENTIAL * 2; i++) {
      sessions.close(sessions.open(alice).id());
    }
    Session kept = sessions.open(alice);
    for (int i = 1; i < Sessions.MAX_SESSIONS_PER_CREDENTIAL; i++) {
      sessions.open(alice);
    }
    assertThat(sessions.find(kept.id(), alice)).isPresent();
  }

  @Test
  void toolsCalledListsEachToolOnceInOrderOfFirstCallAsAReadOnlyView() {
    Session session = sessions.begin(alice);
    for (int i = 0; i < 1000; i++) {
      session.recordToolCalled("acme.crm_search", Set.of("private_data"));
      session.recordToolCalled("acme.tickets_read", Set.of("untrusted_content"));
    }
    session.recordToolCalled("acme.crm_search", Set.of());

    List<String> tools = session.toolsCalled();
    assertThat(tools).containsExactly("acme.crm_search", "acme.tickets_read");
    assertThat(session.toolsCalled()).isSameAs(tools);
    assertThat(session.labels()).containsExactlyInAnyOrder("private_data", "untrusted_content");
    assertThatThrownBy(() -> tools.add("acme.mail_send")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> session.labels().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  private static Agent agent(String id, String credential) {
    return new Agent(id, "v1", Set.of("support"), Map.of(), List.of(), credential);
  }
}
