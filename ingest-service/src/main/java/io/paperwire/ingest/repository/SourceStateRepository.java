package io.paperwire.ingest.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;

/** Source state, and the lease that lets only one replica poll a source at a time. */
@ApplicationScoped
public class SourceStateRepository implements PanacheRepositoryBase<SourceState, String> {

    /**
     * Claims {@code name} for {@code owner} until {@code until}, if nobody else holds an unexpired claim.
     * One conditional statement, so two replicas racing for the same source cannot both win.
     */
    @Transactional
    public boolean tryLease(String name, String owner, Instant now, Instant until) {
        getEntityManager().createNativeQuery(
                        "insert into source_state (name) values (?1) on conflict (name) do nothing")
                .setParameter(1, name).executeUpdate();
        int rows = getEntityManager().createNativeQuery("""
                        update source_state set lease_owner = ?2, lease_until = ?3
                        where name = ?1 and (lease_owner is null or lease_owner = ?2 or lease_until < ?4)
                        """)
                .setParameter(1, name).setParameter(2, owner).setParameter(3, Timestamp.from(until))
                .setParameter(4, Timestamp.from(now))
                .executeUpdate();
        return rows == 1;
    }

    @Transactional
    public void release(String name, String owner) {
        getEntityManager().createNativeQuery(
                        "update source_state set lease_owner = null, lease_until = null where name = ?1 and lease_owner = ?2")
                .setParameter(1, name).setParameter(2, owner).executeUpdate();
    }
}
