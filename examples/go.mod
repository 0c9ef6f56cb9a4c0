module github.com/osallisuus/osallisuus/examples

go 1.26.0

require github.com/osallisuus/osallisuus v0.0.0

require (
	github.com/google/uuid v1.6.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace github.com/osallisuus/osallisuus => ../
