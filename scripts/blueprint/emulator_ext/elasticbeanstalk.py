"""Elastic Beanstalk applications, versions and environments, as the AWS provider drives them.

moto keeps little more than names here; this backend keeps what the provider reads back:
lifecycle rules, application versions with their S3 source bundle, environments whose status
moves Launching -> Ready -> Updating -> Ready -> Terminating -> Terminated over a short,
fixed time, option settings stored as sent over the service's defaults, tags (with the two the
service adds to environments) and the event log DescribeEvents reads.

A load-balanced web environment of type ``application`` gets a real load balancer, target
group and listeners in the emulator's ELBv2 service, kept in step with the listener settings, so
that Terraform can hang listener rules on them. No instances run: the Auto Scaling group and
launch template an environment reports are names only, and nothing is deployed.

``install()`` makes moto build this backend for every account and region; the HTTP side is in
``elasticbeanstalk_api``.
"""

from __future__ import annotations

import functools
import itertools
import re
import secrets
import string
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from moto.core.exceptions import ServiceException
from moto.core.resource_tagging import TaggedResource
from moto.core.utils import utcnow
from moto.elasticbeanstalk import models as moto_models
from moto.elasticbeanstalk import responses as moto_responses
from moto.elasticbeanstalk import urls as moto_urls
from moto.elasticbeanstalk.exceptions import (
    InvalidParameterValueError,
    ResourceNotFoundException,
)
from moto.utilities.utils import get_partition

from blueprint.emulator_ext import elasticbeanstalk_options as options
from blueprint.emulator_ext.elasticbeanstalk_options import OptionKey

# Long enough to be seen by a client that polls, far shorter than the provider's own 10 s delay.
TRANSITION = timedelta(seconds=2)
# The service keeps terminated environments visible to DescribeEnvironments for about an hour.
TERMINATED_VISIBLE_FOR = timedelta(hours=1)
SEVERITIES = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
MAX_TAGS = 50
_ENV_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")

F = TypeVar("F", bound=Callable[..., Any])
_EVENT_SEQUENCE = itertools.count()


class InvalidParameterCombinationError(ServiceException):
    code = "InvalidParameterCombination"


class TooManyTagsError(ServiceException):
    code = "TooManyTagsException"


def _locked(method: F) -> F:
    """Serialise calls: the server is threaded and Terraform sends requests in parallel."""

    @functools.wraps(method)
    def wrapper(self: ElasticBeanstalkBackend, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.advance()
            return method(self, *args, **kwargs)

    return cast(F, wrapper)


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _lower_alnum(length: int) -> str:
    return _random(string.ascii_lowercase + string.digits, length)


def _upper_alnum(length: int) -> str:
    return _random(string.ascii_uppercase + string.digits, length)


@dataclass
class Event:
    date: datetime
    message: str
    severity: str
    application_name: str
    environment_name: str | None = None
    environment_id: str | None = None
    version_label: str | None = None
    # Orders events recorded at the same instant, such as an operation's closing messages.
    sequence: int = field(default_factory=lambda: next(_EVENT_SEQUENCE))

    def describe(self) -> dict[str, Any]:
        # No RequestId: moto rewrites the text between the first <RequestId> of a response and
        # the last </RequestId> (its own, in ResponseMetadata), which would cut the XML apart.
        described = {
            "EventDate": self.date,
            "Message": self.message,
            "ApplicationName": self.application_name,
            "EnvironmentName": self.environment_name,
            "VersionLabel": self.version_label,
            "Severity": self.severity,
        }
        return {k: v for k, v in described.items() if v is not None}


@dataclass
class ApplicationVersion:
    application_name: str
    label: str
    arn: str
    description: str
    source_bundle: dict[str, str] | None
    status: str
    tags: dict[str, str]
    created: datetime = field(default_factory=utcnow)
    updated: datetime = field(default_factory=utcnow)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ApplicationVersionArn": self.arn,
            "ApplicationName": self.application_name,
            "Description": self.description or None,
            "VersionLabel": self.label,
            "SourceBundle": self.source_bundle,
            "DateCreated": self.created,
            "DateUpdated": self.updated,
            "Status": self.status,
        }
        return {k: v for k, v in described.items() if v is not None}


def _default_lifecycle() -> dict[str, Any]:
    # What the service reports for an application nobody configured a lifecycle for.
    return {
        "VersionLifecycleConfig": {
            "MaxCountRule": {"Enabled": False, "MaxCount": 200, "DeleteSourceFromS3": False},
            "MaxAgeRule": {"Enabled": False, "MaxAgeInDays": 180, "DeleteSourceFromS3": False},
        }
    }


@dataclass
class Application:
    name: str
    arn: str
    description: str
    tags: dict[str, str]
    lifecycle: dict[str, Any] = field(default_factory=_default_lifecycle)
    versions: dict[str, ApplicationVersion] = field(default_factory=dict)
    created: datetime = field(default_factory=utcnow)
    updated: datetime = field(default_factory=utcnow)

    def describe(self) -> dict[str, Any]:
        newest_first = sorted(self.versions.values(), key=lambda v: v.created, reverse=True)
        described: dict[str, Any] = {
            "ApplicationArn": self.arn,
            "ApplicationName": self.name,
            "Description": self.description or None,
            "DateCreated": self.created,
            "DateUpdated": self.updated,
            "Versions": [v.label for v in newest_first],
            "ConfigurationTemplates": [],
            "ResourceLifecycleConfig": self.lifecycle,
        }
        return {k: v for k, v in described.items() if v is not None}


@dataclass
class LoadBalancer:
    """The ELBv2 resources behind one environment, by the names the service would use."""

    arn: str
    name: str
    dns_name: str
    target_groups: dict[str, str] = field(default_factory=dict)  # process name -> ARN
    listeners: dict[int, str] = field(default_factory=dict)  # port -> ARN
    protocols: dict[int, str] = field(default_factory=dict)  # port -> protocol


@dataclass
class Environment:
    environment_id: str
    name: str
    application_name: str
    arn: str
    region: str
    solution_stack: str
    platform_arn: str
    tier: dict[str, str]
    description: str
    version_label: str | None
    cname: str | None
    settings: dict[OptionKey, str]
    tags: dict[str, str]
    status: str = "Launching"
    health: str = "Grey"
    failed: bool = False
    operation: str | None = None
    operation_done_at: datetime | None = None
    load_balancer: LoadBalancer | None = None
    stack_suffix: str = field(default_factory=lambda: _upper_alnum(12))
    created: datetime = field(default_factory=utcnow)
    updated: datetime = field(default_factory=utcnow)
    terminated_at: datetime | None = None

    @property
    def configuration(self) -> options.Configuration:
        return options.Configuration(self.settings)

    @property
    def is_live(self) -> bool:
        return self.status not in ("Terminating", "Terminated")

    @property
    def stack_name(self) -> str:
        return f"awseb-{self.environment_id}-stack"

    @property
    def web(self) -> bool:
        return self.tier["Name"] == "WebServer"

    @property
    def load_balanced(self) -> bool:
        return self.web and self.configuration.environment_type == "LoadBalanced"

    @property
    def endpoint_url(self) -> str | None:
        if self.load_balancer is not None:
            return self.load_balancer.dns_name
        if self.load_balanced:
            suffix = f"AWSEBLoa-{self.stack_suffix}-{int(self.stack_suffix, 36) % 10**10}"
            return f"awseb-{self.environment_id}-{suffix}.{self.region}.elb.amazonaws.com"
        if self.web:
            # A single instance answers on its Elastic IP; this one is from the documentation range.
            return f"203.0.113.{int(self.stack_suffix, 36) % 254 + 1}"
        return None

    def describe(self) -> dict[str, Any]:
        health_status = None
        if self.configuration.enhanced_health:
            by_health = {"Green": "Ok", "Red": "Severe", "Grey": "Pending"}
            health_status = "Unknown" if self.status == "Terminated" else by_health[self.health]
        resources = None
        if self.load_balancer is not None:
            protocols = self.load_balancer.protocols
            resources = {
                "LoadBalancer": {
                    "LoadBalancerName": self.load_balancer.name,
                    "Domain": self.load_balancer.dns_name,
                    "Listeners": [
                        {"Protocol": protocols[port].lower(), "Port": port}
                        for port in sorted(protocols)
                    ],
                }
            }
        described: dict[str, Any] = {
            "EnvironmentName": self.name,
            "EnvironmentId": self.environment_id,
            "ApplicationName": self.application_name,
            "VersionLabel": self.version_label,
            "SolutionStackName": self.solution_stack,
            "PlatformArn": self.platform_arn,
            "Description": self.description or None,
            "EndpointURL": self.endpoint_url,
            "CNAME": self.cname,
            "DateCreated": self.created,
            "DateUpdated": self.updated,
            "Status": self.status,
            "AbortableOperationInProgress": self.status == "Updating",
            "Health": self.health,
            "HealthStatus": health_status,
            "Resources": resources,
            "Tier": self.tier,
            "EnvironmentLinks": [],
            "EnvironmentArn": self.arn,
        }
        return {k: v for k, v in described.items() if v is not None}

    def describe_resources(self) -> dict[str, Any]:
        prefix = f"{self.stack_name}-AWSEB"
        load_balancers = []
        if self.load_balancer is not None:
            load_balancers = [{"Name": self.load_balancer.arn}]
        elif self.load_balanced:
            load_balancers = [{"Name": f"awseb-{self.environment_id}-AWSEBLoa-{self.stack_suffix}"}]
        return {
            "EnvironmentName": self.name,
            "AutoScalingGroups": [{"Name": f"{prefix}AutoScalingGroup-{self.stack_suffix}"}],
            "Instances": [],
            "LaunchConfigurations": [],
            "LaunchTemplates": [{"Id": f"lt-{self.stack_suffix.lower()[:17]}"}],
            "LoadBalancers": load_balancers,
            "Triggers": [],
            "Queues": [],
        }


class ElasticBeanstalkBackend(moto_models.EBBackend):
    """One account and region of Elastic Beanstalk."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.lock = threading.RLock()
        self.apps: dict[str, Application] = {}
        self.environments: dict[str, Environment] = {}  # by id, terminated ones included
        self.events: list[Event] = []

    @property
    def _url_module(self) -> Any:
        # moto derives the URL module from the backend's module name; ours lives elsewhere.
        return moto_urls

    # --- bookkeeping -------------------------------------------------------------------------

    def _arn(self, kind: str, path: str) -> str:
        return (
            f"arn:{get_partition(self.region_name)}:elasticbeanstalk:{self.region_name}:"
            f"{self.account_id}:{kind}/{path}"
        )

    def _event(
        self,
        env: Environment,
        message: str,
        severity: str = "INFO",
        date: datetime | None = None,
    ) -> None:
        self.events.append(
            Event(
                date=date or utcnow(),
                message=message,
                severity=severity,
                application_name=env.application_name,
                environment_name=env.name,
                environment_id=env.environment_id,
            )
        )

    def _version_event(self, app_name: str, label: str, message: str) -> None:
        self.events.append(Event(utcnow(), message, "INFO", app_name, version_label=label))

    def advance(self) -> None:
        """Finish the operations whose time has come; forget long-terminated environments."""
        now = utcnow()
        for env in list(self.environments.values()):
            done_at = env.operation_done_at
            if env.operation is not None and done_at is not None and now >= done_at:
                self._finish(env, done_at)
            if env.terminated_at and now - env.terminated_at > TERMINATED_VISIBLE_FOR:
                del self.environments[env.environment_id]

    def _begin(self, env: Environment, operation: str, status: str) -> None:
        env.operation, env.status = operation, status
        env.operation_done_at = utcnow() + TRANSITION
        env.updated = utcnow()

    def _finish(self, env: Environment, at: datetime) -> None:
        operation, env.operation, env.operation_done_at = env.operation, None, None
        env.updated = at
        if operation == "terminateEnvironment":
            env.status, env.health, env.terminated_at = "Terminated", "Grey", at
            self._event(env, "terminateEnvironment completed successfully.", date=at)
            return
        env.status = "Ready"
        if env.failed:
            env.health = "Red"
            launching = operation == "createEnvironment"
            failure = "launch environment" if launching else "deploy configuration"
            self._event(env, f"Failed to {failure}.", "ERROR", date=at)
            return
        env.health = "Green"
        if operation == "createEnvironment":
            if env.cname:
                self._event(env, f"Application available at {env.cname}.", date=at)
            self._event(env, f"Successfully launched environment: {env.name}", date=at)
        else:
            self._event(env, "Environment update completed successfully.", date=at)

    def _app(self, name: str) -> Application:
        try:
            return self.apps[name]
        except KeyError:
            raise InvalidParameterValueError(f"No Application named '{name}' found.") from None

    def _current_env(self, env_id: str | None, env_name: str | None) -> Environment:
        """The environment (not yet terminated) with this id, or else with this name."""
        for env in self.environments.values():
            if env.status == "Terminated":
                continue
            if (env.environment_id == env_id) if env_id else (env.name == env_name):
                return env
        if env_id:
            raise InvalidParameterValueError(
                f"No Environment found for EnvironmentId = '{env_id}'."
            )
        raise InvalidParameterValueError(
            f"No Environment found for EnvironmentName = '{env_name}'."
        )

    def _find_stack(self, stack_name: str | None, platform_arn: str | None) -> str:
        partition = get_partition(self.region_name)
        names = [s["SolutionStackName"] for s in moto_responses.SOLUTION_STACK_DETAILS]
        if stack_name:
            if stack_name not in names:
                raise InvalidParameterValueError(f"No Solution Stack named '{stack_name}' found.")
            return stack_name
        if platform_arn:
            for name in names:
                if options.platform_arn(str(name), partition, self.region_name) == platform_arn:
                    return str(name)
            raise InvalidParameterValueError(f"No Platform named '{platform_arn}' found.")
        raise InvalidParameterValueError(
            "No Solution Stack named 'null' found. Specify a SolutionStackName or a PlatformArn."
        )

    @staticmethod
    def _check_tags(tags: dict[str, str]) -> None:
        if len(tags) > MAX_TAGS:
            raise TooManyTagsError(f"A resource can have at most {MAX_TAGS} tags.")

    # --- applications ------------------------------------------------------------------------

    @_locked
    def create_app(
        self,
        name: str,
        description: str,
        tags: dict[str, str],
        lifecycle: dict[str, Any] | None,
    ) -> Application:
        if name in self.apps:
            raise InvalidParameterValueError(f"Application {name} already exists.")
        self._check_tags(tags)
        app = Application(name, self._arn("application", name), description, dict(tags))
        if lifecycle:
            app.lifecycle = self._checked_lifecycle(lifecycle)
        self.apps[name] = app
        return app

    @_locked
    def describe_apps(self, names: list[str]) -> list[Application]:
        return [app for app in self.apps.values() if not names or app.name in names]

    @_locked
    def update_app(self, name: str, description: str | None) -> Application:
        app = self._app(name)
        if description is not None:
            app.description, app.updated = description, utcnow()
        return app

    @staticmethod
    def _checked_lifecycle(config: dict[str, Any]) -> dict[str, Any]:
        role = config.get("ServiceRole")
        if role is not None and not _ROLE_ARN.match(role):
            raise InvalidParameterValueError(f"ServiceRole '{role}' is not a valid arn.")
        merged = _default_lifecycle()
        if role:
            merged["ServiceRole"] = role
        rules = (config.get("VersionLifecycleConfig") or {}).items()
        for rule_name, rule in rules:
            merged["VersionLifecycleConfig"].setdefault(rule_name, {}).update(rule or {})
        return merged

    @_locked
    def update_app_lifecycle(self, name: str, config: dict[str, Any]) -> Application:
        app = self._app(name)
        app.lifecycle, app.updated = self._checked_lifecycle(config), utcnow()
        return app

    @_locked
    def delete_app(self, name: str, terminate_environments: bool) -> None:
        app = self._app(name)
        live = [e for e in self.environments.values() if e.application_name == name and e.is_live]
        if live and not terminate_environments:
            raise InvalidParameterValueError(
                f"Unable to delete application {name} because it has running environments: "
                f"{', '.join(e.name for e in live)}. Terminate them first or set "
                "TerminateEnvByForce."
            )
        for env in live:
            self._terminate(env)
        del self.apps[app.name]

    # --- application versions ----------------------------------------------------------------

    def _s3(self) -> Any:
        from moto.s3.models import s3_backends

        return s3_backends[self.account_id][get_partition(self.region_name)]

    def _bundle_exists(self, bundle: dict[str, str]) -> bool:
        from moto.s3.exceptions import MissingBucket, MissingKey

        bucket, key = bundle.get("S3Bucket"), bundle.get("S3Key")
        if not bucket or not key:
            return False
        try:
            return self._s3().get_object(bucket, key) is not None
        except (MissingBucket, MissingKey):
            return False

    @_locked
    def create_version(
        self,
        app_name: str,
        label: str,
        description: str,
        bundle: dict[str, str] | None,
        auto_create: bool,
        process: bool,
        tags: dict[str, str],
    ) -> ApplicationVersion:
        if app_name not in self.apps and auto_create:
            self.apps[app_name] = Application(app_name, self._arn("application", app_name), "", {})
        app = self._app(app_name)
        if label in app.versions:
            raise InvalidParameterValueError(f"Application Version {label} already exists.")
        self._check_tags(tags)
        if bundle is not None and not self._bundle_exists(bundle):
            raise InvalidParameterCombinationError(
                f"Unable to download from S3 location (Bucket: {bundle.get('S3Bucket')} "
                f"Key: {bundle.get('S3Key')}). Reason: Not Found"
            )
        version = ApplicationVersion(
            application_name=app_name,
            label=label,
            arn=self._arn("applicationversion", f"{app_name}/{label}"),
            description=description,
            source_bundle=dict(bundle) if bundle else None,
            status="PROCESSED" if process else "UNPROCESSED",
            tags=dict(tags),
        )
        app.versions[label] = version
        self._version_event(app_name, label, f"Created new Application Version: {label}")
        self._apply_lifecycle(app)
        return version

    def _apply_lifecycle(self, app: Application) -> None:
        """Delete the versions the application's lifecycle rules no longer keep.

        Like the service, it never deletes a version a live environment runs.
        """
        rules = app.lifecycle.get("VersionLifecycleConfig", {})
        count_rule, age_rule = rules.get("MaxCountRule", {}), rules.get("MaxAgeRule", {})
        in_use = {
            e.version_label
            for e in self.environments.values()
            if e.application_name == app.name and e.is_live
        }
        newest_first = sorted(app.versions.values(), key=lambda v: v.created, reverse=True)
        doomed: list[tuple[ApplicationVersion, bool]] = []
        if count_rule.get("Enabled"):
            keep = int(count_rule.get("MaxCount") or 0)
            doomed += [(v, bool(count_rule.get("DeleteSourceFromS3"))) for v in newest_first[keep:]]
        if age_rule.get("Enabled"):
            oldest = utcnow() - timedelta(days=int(age_rule.get("MaxAgeInDays") or 0))
            doomed += [
                (v, bool(age_rule.get("DeleteSourceFromS3")))
                for v in newest_first
                if v.created < oldest
            ]
        for version, delete_source in doomed:
            if version.label in in_use or version.label not in app.versions:
                continue
            self._delete_version(app, version, delete_source)
            self._version_event(
                app.name,
                version.label,
                f"Deleted application version {version.label} to apply the lifecycle policy.",
            )

    def _delete_version(self, app: Application, version: ApplicationVersion, source: bool) -> None:
        del app.versions[version.label]
        if source and version.source_bundle:
            from moto.s3.exceptions import MissingBucket

            try:
                bundle = version.source_bundle
                self._s3().delete_object(bundle["S3Bucket"], bundle["S3Key"])
            except MissingBucket:
                pass

    @_locked
    def describe_versions(
        self, app_name: str | None, labels: list[str]
    ) -> list[ApplicationVersion]:
        apps = [self.apps[app_name]] if app_name in self.apps else []
        if not app_name:
            apps = list(self.apps.values())
        found = [
            v for app in apps for v in app.versions.values() if not labels or v.label in labels
        ]
        return sorted(found, key=lambda v: v.created, reverse=True)

    @_locked
    def update_version(
        self, app_name: str, label: str, description: str | None
    ) -> ApplicationVersion:
        version = self._version(app_name, label)
        if description is not None:
            version.description, version.updated = description, utcnow()
        return version

    def _version(self, app_name: str, label: str) -> ApplicationVersion:
        try:
            return self._app(app_name).versions[label]
        except KeyError:
            raise InvalidParameterValueError(
                f"No Application Version named '{label}' found."
            ) from None

    @_locked
    def delete_version(self, app_name: str, label: str, delete_source: bool) -> None:
        # The service accepts this even while an environment runs the version.
        app = self._app(app_name)
        self._delete_version(app, self._version(app_name, label), delete_source)

    # --- environments ------------------------------------------------------------------------

    @staticmethod
    def _settings(option_settings: list[dict[str, str]]) -> dict[OptionKey, str]:
        settings: dict[OptionKey, str] = {}
        for item in option_settings:
            key = (item["Namespace"], item["OptionName"], item.get("ResourceName") or "")
            settings[key] = item.get("Value", "")
            options.check_option(key, settings[key])
        return settings

    @_locked
    def create_env(self, request: dict[str, Any]) -> Environment:
        app = self._app(request["ApplicationName"])
        name = request["EnvironmentName"]
        if not _ENV_NAME.match(name):
            raise InvalidParameterValueError(
                f"Environment name '{name}' is not valid: it must be 4 to 40 characters long, "
                "contain only letters, digits and hyphens, and not start or end with a hyphen."
            )
        if any(e.name == name and e.status != "Terminated" for e in self.environments.values()):
            raise InvalidParameterValueError(f"Environment {name} already exists.")
        if request.get("TemplateName"):
            raise InvalidParameterValueError(
                f"No Configuration Template named '{app.name}/{request['TemplateName']}' found."
            )
        stack = self._find_stack(request.get("SolutionStackName"), request.get("PlatformArn"))
        label = request.get("VersionLabel")
        if label:
            self._version(app.name, label)
        tier = {"Name": "WebServer", "Type": "Standard", "Version": "1.0"}
        if request.get("Tier"):
            tier.update({k: v for k, v in request["Tier"].items() if v})
        settings = self._settings(request.get("OptionSettings") or [])
        options.check_configuration(options.Configuration(settings))
        cname = (
            self._cname(name, request.get("CNAMEPrefix")) if tier["Name"] == "WebServer" else None
        )
        tags = dict(request.get("Tags") or {})
        self._check_tags(tags)
        env_id = f"e-{_lower_alnum(10)}"
        tags.update(
            {"elasticbeanstalk:environment-name": name, "elasticbeanstalk:environment-id": env_id}
        )
        env = Environment(
            environment_id=env_id,
            name=name,
            application_name=app.name,
            arn=self._arn("environment", f"{app.name}/{name}"),
            region=self.region_name,
            solution_stack=stack,
            platform_arn=options.platform_arn(
                stack, get_partition(self.region_name), self.region_name
            ),
            tier=tier,
            description=request.get("Description") or "",
            version_label=label,
            cname=cname,
            settings=settings,
            tags=tags,
        )
        self.environments[env_id] = env
        self._begin(env, "createEnvironment", "Launching")
        self._event(env, "createEnvironment is starting.")
        self._provision(env)
        return env

    def _cname(self, env_name: str, prefix: str | None) -> str:
        domain = f"{self.region_name}.elasticbeanstalk.com"
        if not prefix:
            return f"{env_name}.eba-{_lower_alnum(8)}.{domain}"
        cname = f"{prefix}.{domain}"
        if any(e.cname == cname and e.is_live for e in self.environments.values()):
            raise InvalidParameterValueError(f"DNS name ({cname}) is not available.")
        return cname

    def _provision(self, env: Environment) -> None:
        """Launch-time checks whose failure the service reports as events, not as an error."""
        profile = env.configuration.get("aws:autoscaling:launchconfiguration", "IamInstanceProfile")
        if profile and not self._instance_profile_exists(profile):
            env.failed = True
            self._event(
                env,
                f"The instance profile {profile} associated with the environment does not exist.",
                "ERROR",
            )
            return
        self._sync_load_balancer(env, "createEnvironment")

    def _instance_profile_exists(self, profile: str) -> bool:
        from moto.iam.exceptions import NotFoundException
        from moto.iam.models import iam_backends

        iam = iam_backends[self.account_id][get_partition(self.region_name)]
        try:
            if profile.startswith("arn:"):
                iam.get_instance_profile_by_arn(profile)
            else:
                iam.get_instance_profile(profile)
        except NotFoundException:
            return False
        return True

    def _sync_load_balancer(self, env: Environment, operation: str) -> None:
        """Create, adjust or remove the ELBv2 resources the environment's settings call for."""
        config = env.configuration
        wanted = (
            env.load_balanced
            and config.load_balancer_type == "application"
            and not config.enabled("aws:elasticbeanstalk:environment", "LoadBalancerIsShared")
            and env.is_live
        )
        try:
            if not wanted:
                self._release_load_balancer(env)
                return
            if env.load_balancer is None:
                env.load_balancer = self._create_load_balancer(env)
                self._event(env, f"Created load balancer named: {env.load_balancer.arn}")
            self._sync_listeners(env)
        except ServiceException as error:
            env.failed = True
            self._event(env, f"Creating load balancer failed Reason: {error.message}", "ERROR")
            if operation == "createEnvironment":
                self._event(
                    env,
                    f"Stack named '{env.stack_name}' aborted operation. Current state: "
                    "'CREATE_FAILED'  Reason: The following resource(s) failed to create: "
                    "[AWSEBV2LoadBalancer].",
                    "ERROR",
                )

    def _elbv2(self) -> Any:
        from moto.elbv2.models import elbv2_backends

        return elbv2_backends[self.account_id][self.region_name]

    def _create_load_balancer(self, env: Environment) -> LoadBalancer:
        config = env.configuration
        subnets = config.get("aws:ec2:vpc", "ELBSubnets") or config.get("aws:ec2:vpc", "Subnets")
        subnet_ids = [s.strip() for s in subnets.split(",") if s.strip()]
        if not subnet_ids:
            vpc = self._elbv2().ec2_backend.get_default_vpc()
            found = self._elbv2().ec2_backend.describe_subnets(
                filters={"vpc-id": [vpc.id]} if vpc else None
            )
            subnet_ids = [s.id for s in found][:2]
        groups = config.get("aws:elbv2:loadbalancer", "SecurityGroups")
        scheme = config.get("aws:ec2:vpc", "ELBScheme", "public")
        balancer = self._elbv2().create_load_balancer(
            name=f"awseb--AWSEB-{_random(string.ascii_letters + string.digits, 12)}",
            security_groups=[g.strip() for g in groups.split(",") if g.strip()],
            subnet_ids=subnet_ids,
            scheme="internal" if scheme == "internal" else "internet-facing",
            loadbalancer_type="application",
            tags=[
                {"Key": "elasticbeanstalk:environment-name", "Value": env.name},
                {"Key": "elasticbeanstalk:environment-id", "Value": env.environment_id},
            ],
        )
        return LoadBalancer(arn=balancer.arn, name=balancer.name, dns_name=balancer.dns_name)

    def _target_group(self, env: Environment, process: str) -> str:
        assert env.load_balancer is not None
        if process not in env.load_balancer.target_groups:
            config = env.configuration
            namespace = f"aws:elasticbeanstalk:environment:process:{process}"
            balancer = self._elbv2().load_balancers[env.load_balancer.arn]
            group = self._elbv2().create_target_group(
                f"awseb-AWSEB-{_upper_alnum(12)}",
                vpc_id=balancer.vpc_id,
                protocol=config.get(namespace, "Protocol", "HTTP"),
                port=int(config.get(namespace, "Port", "80")),
                healthcheck_path=config.get(namespace, "HealthCheckPath", "/"),
                target_type="instance",
            )
            env.load_balancer.target_groups[process] = group.arn
        return env.load_balancer.target_groups[process]

    def _wanted_listeners(self, env: Environment) -> dict[int, dict[str, str]]:
        config = env.configuration
        namespaces = {ns for ns, _, _ in config.settings if ns.startswith("aws:elbv2:listener:")}
        namespaces.add("aws:elbv2:listener:default")
        wanted: dict[int, dict[str, str]] = {}
        for namespace in namespaces:
            suffix = namespace.rsplit(":", 1)[1]
            port = 80 if suffix == "default" else int(suffix) if suffix.isdigit() else None
            if port is None or config.get(namespace, "ListenerEnabled", "true").lower() == "false":
                continue
            wanted[port] = {
                "protocol": config.get(namespace, "Protocol", "HTTP").upper(),
                "process": config.get(namespace, "DefaultProcess", "default"),
                "certificate": config.get(namespace, "SSLCertificateArns").split(",")[0].strip(),
                "policy": config.get(namespace, "SSLPolicy"),
            }
        return wanted

    def _sync_listeners(self, env: Environment) -> None:
        assert env.load_balancer is not None
        elbv2, balancer = self._elbv2(), env.load_balancer
        wanted = self._wanted_listeners(env)
        for port in [p for p in balancer.listeners if p not in wanted]:
            elbv2.delete_listener(balancer.listeners.pop(port))
            balancer.protocols.pop(port, None)
        for port, spec in sorted(wanted.items()):
            https = spec["protocol"] == "HTTPS"
            balancer.protocols[port] = spec["protocol"]
            actions = [
                {"Type": "forward", "TargetGroupArn": self._target_group(env, spec["process"])}
            ]
            if port in balancer.listeners:
                # Modified in place: rules others attached to the listener stay valid.
                elbv2.modify_listener(
                    balancer.listeners[port],
                    protocol=spec["protocol"],
                    ssl_policy=spec["policy"] or None,
                    certificates=[{"CertificateArn": spec["certificate"]}] if https else [],
                    actions=actions,
                )
                continue
            listener = elbv2.create_listener(
                load_balancer_arn=balancer.arn,
                protocol=spec["protocol"],
                port=port,
                ssl_policy=(spec["policy"] or "ELBSecurityPolicy-2016-08") if https else None,
                certificate=spec["certificate"] if https else None,
                actions=actions,
            )
            balancer.listeners[port] = listener.arn

    def _release_load_balancer(self, env: Environment) -> None:
        balancer, env.load_balancer = env.load_balancer, None
        if balancer is None:
            return
        elbv2 = self._elbv2()
        elbv2.delete_load_balancer(balancer.arn)
        for group_arn in balancer.target_groups.values():
            if group_arn in elbv2.target_groups:
                elbv2.delete_target_group(group_arn)
        self._event(env, f"Deleted load balancer named: {balancer.arn}")

    @_locked
    def describe_envs(
        self,
        app_name: str | None,
        version_label: str | None,
        env_ids: list[str],
        env_names: list[str],
        include_deleted: bool,
        deleted_back_to: datetime | None,
    ) -> list[Environment]:
        found = []
        for env in self.environments.values():
            if env.status == "Terminated" and (
                not include_deleted
                or (deleted_back_to and env.terminated_at and env.terminated_at < deleted_back_to)
            ):
                continue
            if (app_name and env.application_name != app_name) or (
                version_label and env.version_label != version_label
            ):
                continue
            if (env_ids and env.environment_id not in env_ids) or (
                env_names and env.name not in env_names
            ):
                continue
            found.append(env)
        return sorted(found, key=lambda e: e.created, reverse=True)

    @_locked
    def update_env(self, request: dict[str, Any]) -> Environment:
        env = self._current_env(request.get("EnvironmentId"), request.get("EnvironmentName"))
        if env.status != "Ready":
            raise InvalidParameterValueError(
                f"Environment named {env.name} is in an invalid state for this operation. "
                "Must be Ready."
            )
        if request.get("TemplateName"):
            raise InvalidParameterValueError(
                f"No Configuration Template named '{env.application_name}/"
                f"{request['TemplateName']}' found."
            )
        label = request.get("VersionLabel")
        if label:
            self._version(env.application_name, label)
        stack = None
        if request.get("SolutionStackName") or request.get("PlatformArn"):
            stack = self._find_stack(request.get("SolutionStackName"), request.get("PlatformArn"))
        settings = dict(env.settings)
        for item in request.get("OptionsToRemove") or []:
            key = (item["Namespace"], item["OptionName"], item.get("ResourceName") or "")
            settings.pop(key, None)
        settings.update(self._settings(request.get("OptionSettings") or []))
        options.check_configuration(options.Configuration(settings))

        previous = env.settings
        self._begin(env, "updateEnvironment", "Updating")
        env.failed = False
        self._event(env, "Environment update is starting.")
        if request.get("Description") is not None:
            env.description = request["Description"]
        if stack:
            env.solution_stack = stack
            env.platform_arn = options.platform_arn(
                stack, get_partition(self.region_name), self.region_name
            )
        if settings != previous:
            env.settings = settings
            self._event(env, f"Updating environment {env.name}'s configuration settings.")
            self._sync_load_balancer(env, "updateEnvironment")
            if env.failed:
                # The service rolls a failed configuration deployment back.
                env.settings = previous
                self._sync_load_balancer(env, "updateEnvironment")
                env.failed = True
        if label and label != env.version_label:
            env.version_label = label
            self._event(env, "Deploying new version to instance(s).")
        return env

    def _terminate(self, env: Environment) -> None:
        self._begin(env, "terminateEnvironment", "Terminating")
        self._event(env, "terminateEnvironment is starting.")
        self._release_load_balancer(env)

    @_locked
    def terminate_env(self, env_id: str | None, env_name: str | None) -> Environment:
        env = self._current_env(env_id, env_name)
        if env.status == "Terminating":
            raise InvalidParameterValueError(
                f"Environment named {env.name} is in an invalid state for this operation. "
                "Must be Ready."
            )
        self._terminate(env)
        return env

    @_locked
    def env_resources(self, env_id: str | None, env_name: str | None) -> dict[str, Any]:
        return self._current_env(env_id, env_name).describe_resources()

    @_locked
    def configuration_settings(
        self, app_name: str, env_name: str | None, template: str | None
    ) -> dict[str, Any]:
        self._app(app_name)
        if template:
            raise InvalidParameterValueError(
                f"No Configuration Template named '{app_name}/{template}' found."
            )
        env = self._current_env(None, env_name)
        if env.application_name != app_name:
            raise InvalidParameterValueError(
                f"No Environment found for EnvironmentName = '{env_name}'."
            )
        effective = {**options.default_settings(env.tier["Name"], env.settings), **env.settings}
        option_settings = []
        for (namespace, name, resource), value in sorted(effective.items()):
            item = {"Namespace": namespace, "OptionName": name, "Value": value}
            if resource:
                item["ResourceName"] = resource
            option_settings.append(item)
        return {
            "SolutionStackName": env.solution_stack,
            "PlatformArn": env.platform_arn,
            "ApplicationName": env.application_name,
            "EnvironmentName": env.name,
            "DeploymentStatus": "deployed",
            "DateCreated": env.created,
            "DateUpdated": env.updated,
            "OptionSettings": option_settings,
        }

    @_locked
    def check_dns(self, prefix: str) -> dict[str, Any]:
        cname = f"{prefix}.{self.region_name}.elasticbeanstalk.com"
        taken = any(e.cname == cname and e.is_live for e in self.environments.values())
        return {"Available": not taken, "FullyQualifiedCNAME": cname}

    # --- events ------------------------------------------------------------------------------

    @_locked
    def describe_events(self, filters: dict[str, Any]) -> list[Event]:
        severity = filters.get("Severity")
        lowest = SEVERITIES.index(severity) if severity in SEVERITIES else 0
        start, end = filters.get("StartTime"), filters.get("EndTime")
        wanted = {
            "application_name": filters.get("ApplicationName"),
            "environment_id": filters.get("EnvironmentId"),
            "environment_name": filters.get("EnvironmentName"),
            "version_label": filters.get("VersionLabel"),
        }
        found = [
            event
            for event in self.events
            if all(value is None or getattr(event, name) == value for name, value in wanted.items())
            and SEVERITIES.index(event.severity) >= lowest
            and (start is None or event.date >= start)
            and (end is None or event.date < end)
        ]
        return sorted(found, key=lambda e: (e.date, e.sequence), reverse=True)

    # --- tags --------------------------------------------------------------------------------

    def _tagged(self, arn: str) -> Application | ApplicationVersion | Environment:
        for app in self.apps.values():
            if app.arn == arn:
                return app
            for version in app.versions.values():
                if version.arn == arn:
                    return version
        for env in self.environments.values():
            if env.arn == arn and env.status != "Terminated":
                return env
        raise ResourceNotFoundException(f"Resource not found for ARN '{arn}'.")

    @_locked
    def tags_of(self, arn: str) -> dict[str, str]:
        return dict(self._tagged(arn).tags)

    @_locked
    def change_tags(self, arn: str, add: dict[str, str], remove: list[str]) -> None:
        resource = self._tagged(arn)
        for key in [*add, *remove]:
            if key.startswith(("aws:", "elasticbeanstalk:")):
                raise InvalidParameterValueError(
                    f"Tag key '{key}' is reserved: keys may not start with 'aws:' or "
                    "'elasticbeanstalk:'."
                )
        tags = {k: v for k, v in resource.tags.items() if k not in remove}
        tags.update(add)
        self._check_tags({k: v for k, v in tags.items() if not k.startswith("elasticbeanstalk:")})
        resource.tags = tags
        if isinstance(resource, Environment) and resource.status == "Ready":
            # The service passes environment tags on to the environment's resources.
            self._begin(resource, "updateEnvironment", "Updating")
            self._event(resource, "Environment update is starting.")

    def iter_tagged_resources(self) -> Iterator[TaggedResource]:
        """What moto's Resource Groups Tagging API lists for this service."""
        with self.lock:
            found = [(a.arn, a.tags, "application") for a in self.apps.values()]
            found += [
                (v.arn, v.tags, "applicationversion")
                for a in self.apps.values()
                for v in a.versions.values()
            ]
            found += [
                (e.arn, e.tags, "environment")
                for e in self.environments.values()
                if e.status != "Terminated"
            ]
        for arn, tags, kind in found:
            yield TaggedResource(arn=arn, tags=dict(tags), resource_type=f"elasticbeanstalk:{kind}")


def install() -> None:
    # BackendDict builds each account's and region's backend from this class on first use.
    moto_models.eb_backends.backend = ElasticBeanstalkBackend
