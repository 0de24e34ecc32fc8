package dev.evalfleet.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;

class DeliveryTests {

    @Test
    void firstDeliveryCarriesNoCount() {
        assertThat(Delivery.deliveries(new MessageProperties())).isEqualTo(1);
    }

    @Test
    void quorumQueueCountsTheEarlierDeliveries() {
        MessageProperties properties = new MessageProperties();
        properties.setHeader(Delivery.DELIVERY_COUNT, 2L);
        properties.setRedelivered(true);

        assertThat(Delivery.deliveries(properties)).isEqualTo(3);
    }

    @Test
    void redeliveryWithoutCountIsAtLeastTheSecond() {
        MessageProperties properties = new MessageProperties();
        properties.setRedelivered(true);

        assertThat(Delivery.deliveries(properties)).isEqualTo(2);
    }
}
