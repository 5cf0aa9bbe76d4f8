"""The sign-in form: allauth's, with its wording brought in line with the portal's."""

from allauth.account.forms import LoginForm


class SignInForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            # allauth writes "Remember Me"; every other label here is in sentence case.
            self.fields["remember"].label = "Remember me"
