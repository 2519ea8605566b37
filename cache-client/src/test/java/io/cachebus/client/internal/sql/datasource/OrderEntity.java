package io.cachebus.client.internal.sql.datasource;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code orders}, written through JPA/Hibernate in the table-tagging tests. */
@Entity
@Table(name = "orders")
public class OrderEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "customer_id")
    private long customerId;

    private int amount;

    protected OrderEntity() {
    }

    OrderEntity(long customerId, int amount) {
        this.customerId = customerId;
        this.amount = amount;
    }

    Long id() {
        return id;
    }

    void amount(int amount) {
        this.amount = amount;
    }
}
