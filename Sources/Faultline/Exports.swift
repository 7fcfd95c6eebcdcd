@_exported import FaultlineCore
@_exported import FaultlineRules
@_exported import FaultlineReport
