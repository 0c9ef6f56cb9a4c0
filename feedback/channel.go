package feedback

// Channel is how a feedback arrived (palautekanava, §2).
type Channel string

// The channels.
const (
	ChannelUnspecified Channel = ""
	ChannelWeb         Channel = "web"
	ChannelEmail       Channel = "email"
	ChannelSMS         Channel = "sms"
	ChannelTerminal    Channel = "terminal" // a kiosk or feedback terminal
	ChannelPaper       Channel = "paper"
	ChannelPhone       Channel = "phone"
	ChannelChat        Channel = "chat"
	ChannelLetter      Channel = "letter"
	ChannelInPerson    Channel = "in-person"
)

// Valid reports whether c is one of the channels.
func (c Channel) Valid() bool {
	switch c {
	case ChannelWeb, ChannelEmail, ChannelSMS, ChannelTerminal, ChannelPaper, ChannelPhone,
		ChannelChat, ChannelLetter, ChannelInPerson:
		return true
	}
	return false
}
