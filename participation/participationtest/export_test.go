package participationtest

// DecodeActivityScenario exposes the activity scenario decoder to the fuzz tests.
var DecodeActivityScenario = decodeActivityScenario
