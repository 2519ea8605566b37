package io.cachebus.client.internal.sql.datasource;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data's way to the same table. */
public interface OrderRepository extends JpaRepository<OrderEntity, Long> {
}
