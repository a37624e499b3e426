// Package portal is the domain core of huiqi: the district's organisation,
// users, enterprises, requests and their time limits, feedback, rates and
// meetings, together with the services that enforce the rules and the
// interfaces (ports) those services need from storage, search and jobs.
//
// Adapters live in subpackages named after what they adapt: mongostore
// persists to MongoDB (or embedded FerretDB), web serves HTTP.
package portal
