module example.com/fl/app

go 1.19

require example.com/fl/greeting v1.0.0
