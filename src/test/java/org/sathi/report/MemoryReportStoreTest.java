package org.sathi.report;

import org.junit.jupiter.api.BeforeEach;

class MemoryReportStoreTest extends ReportStoreContract {
  MemoryReportStore store;

  @BeforeEach
  void fresh() {
    store = new MemoryReportStore();
  }

  @Override
  ReportStore store() {
    return store;
  }
}
