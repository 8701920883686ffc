import RecTrackTestSupport
import Testing

/// `RECTRACK_SLOW_TESTS` means the same to every test (`full` runs at least what `1` runs).
@Suite struct SlowTestsLevelTests {
  @Test func oneParserForTheVariable() {
    #expect(SlowTests.level(nil) == .quick)
    #expect(SlowTests.level("") == .quick)
    #expect(SlowTests.level("0") == .quick)
    #expect(SlowTests.level("1") == .slow)
    #expect(SlowTests.level("yes") == .slow)
    #expect(SlowTests.level("full") == .full)
    #expect(SlowTests.level("full") > SlowTests.level("1"))
  }
}
