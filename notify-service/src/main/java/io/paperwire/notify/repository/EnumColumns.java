package io.paperwire.notify.repository;

import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.model.SubscriptionKind;
import io.paperwire.notify.model.SubscriptionStatus;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** The subscription table keeps its fixed-value columns as lower-case text (what SQL and operators read); these map them. */
final class EnumColumns {

    private EnumColumns() {
    }

    @Converter(autoApply = true)
    static final class Status implements AttributeConverter<SubscriptionStatus, String> {
        @Override
        public String convertToDatabaseColumn(SubscriptionStatus s) {
            return s == null ? null : s.value();
        }

        @Override
        public SubscriptionStatus convertToEntityAttribute(String v) {
            return v == null ? null : SubscriptionStatus.of(v);
        }
    }

    @Converter(autoApply = true)
    static final class Kind implements AttributeConverter<SubscriptionKind, String> {
        @Override
        public String convertToDatabaseColumn(SubscriptionKind k) {
            return k == null ? null : k.value();
        }

        @Override
        public SubscriptionKind convertToEntityAttribute(String v) {
            return v == null ? null : SubscriptionKind.of(v);
        }
    }

    @Converter(autoApply = true)
    static final class FrequencyColumn implements AttributeConverter<Frequency, String> {
        @Override
        public String convertToDatabaseColumn(Frequency f) {
            return f == null ? null : f.value();
        }

        @Override
        public Frequency convertToEntityAttribute(String v) {
            return v == null ? null : Frequency.parse(v).orElseThrow(() -> new IllegalStateException("stored frequency " + v));
        }
    }
}
