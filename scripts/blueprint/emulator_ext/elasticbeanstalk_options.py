"""What Elastic Beanstalk offers: solution stacks, option namespaces, the defaults it fills in.

The emulator's Elastic Beanstalk backend (``elasticbeanstalk``) checks option settings against
this catalogue the way the service does, so that a misspelt namespace or a bad value fails here
with the service's error instead of passing silently. The catalogue covers the namespaces a web
or worker environment commonly uses; a namespace it lists with ``None`` accepts any option name,
and a namespace outside ``aws:`` is custom and always accepted.

``install()`` puts our solution stack list in place of moto's, newest first per platform branch,
because the AWS provider's ``most_recent`` lookup simply takes the first match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moto.core.exceptions import ServiceException
from moto.elasticbeanstalk import responses as moto_responses

OptionKey = tuple[str, str, str]
"""(namespace, option name, resource name); the resource name is "" when the option has none."""

# Platform versions as published in mid-2025; each branch lists its newest version first, and
# an older one after it so that "most recent" is a real choice.
_STACKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("64bit Amazon Linux 2023 v4.6.0 running Python 3.13", ("zip",)),
    ("64bit Amazon Linux 2023 v4.6.0 running Python 3.12", ("zip",)),
    ("64bit Amazon Linux 2023 v4.6.0 running Python 3.11", ("zip",)),
    ("64bit Amazon Linux 2023 v4.6.0 running Python 3.9", ("zip",)),
    ("64bit Amazon Linux 2023 v4.5.2 running Python 3.13", ("zip",)),
    ("64bit Amazon Linux 2023 v4.5.2 running Python 3.12", ("zip",)),
    ("64bit Amazon Linux 2023 v4.5.2 running Python 3.11", ("zip",)),
    ("64bit Amazon Linux 2023 v4.6.0 running Docker", ()),
    ("64bit Amazon Linux 2023 v4.5.2 running Docker", ()),
    ("64bit Amazon Linux 2023 v4.2.0 running ECS", ()),
    ("64bit Amazon Linux 2023 v6.6.0 running Node.js 22", ("zip",)),
    ("64bit Amazon Linux 2023 v6.6.0 running Node.js 20", ("zip",)),
    ("64bit Amazon Linux 2023 v4.6.0 running Corretto 21", ("jar", "zip")),
    ("64bit Amazon Linux 2023 v4.4.0 running Go 1", ("zip",)),
    ("64bit Amazon Linux 2 v4.2.0 running Docker", ()),
)

_STACK_PATTERN = re.compile(
    r"^64bit (?P<os>.+?) v(?P<version>\d+(?:\.\d+)*) running (?P<runtime>.+)$"
)

BOOLEAN = ("true", "false")

# Namespaces whose option names are fixed. None: any option name (environment variables, classic
# load balancer options and other namespaces whose names we do not check).
_OPTIONS: dict[str, frozenset[str] | None] = {
    "aws:autoscaling:asg": frozenset(
        {"Availability Zones", "Cooldown", "Custom Availability Zones",
         "EnableCapacityRebalancing", "MaxSize", "MinSize"}
    ),
    "aws:autoscaling:launchconfiguration": frozenset(
        {"BlockDeviceMappings", "DisableDefaultEC2SecurityGroup", "DisableIMDSv1", "EC2KeyName",
         "IamInstanceProfile", "ImageId", "InstanceType", "LaunchTemplateTagPropagationEnabled",
         "MonitoringInterval", "RootVolumeIOPS", "RootVolumeSize", "RootVolumeThroughput",
         "RootVolumeType", "SecurityGroups", "SSHSourceRestriction"}
    ),
    "aws:autoscaling:scheduledaction": frozenset(
        {"DesiredCapacity", "EndTime", "MaxSize", "MinSize", "Recurrence", "StartTime", "Suspend"}
    ),
    "aws:autoscaling:trigger": frozenset(
        {"BreachDuration", "EvaluationPeriods", "LowerBreachScaleIncrement", "LowerThreshold",
         "MeasureName", "Period", "Statistic", "Unit", "UpperBreachScaleIncrement",
         "UpperThreshold"}
    ),
    "aws:autoscaling:updatepolicy:rollingupdate": frozenset(
        {"MaxBatchSize", "MinInstancesInService", "PauseTime", "RollingUpdateEnabled",
         "RollingUpdateType", "Timeout"}
    ),
    "aws:ec2:instances": frozenset(
        {"EnableSpot", "InstanceTypes", "SpotFleetOnDemandAboveBasePercentage",
         "SpotFleetOnDemandBase", "SpotMaxPrice", "SupportedArchitectures"}
    ),
    "aws:ec2:vpc": frozenset(
        {"AssociatePublicIpAddress", "DBSubnets", "ELBScheme", "ELBSubnets", "Subnets", "VPCId"}
    ),
    "aws:elasticbeanstalk:application": frozenset({"Application Healthcheck URL"}),
    "aws:elasticbeanstalk:application:environment": None,
    "aws:elasticbeanstalk:application:environmentsecrets": None,
    "aws:elasticbeanstalk:cloudwatch:logs": frozenset(
        {"DeleteOnTerminate", "RetentionInDays", "StreamLogs"}
    ),
    "aws:elasticbeanstalk:cloudwatch:logs:health": frozenset(
        {"DeleteOnTerminate", "HealthStreamingEnabled", "RetentionInDays"}
    ),
    "aws:elasticbeanstalk:command": frozenset(
        {"BatchSize", "BatchSizeType", "DeploymentPolicy", "IgnoreHealthCheck", "Timeout"}
    ),
    "aws:elasticbeanstalk:environment": frozenset(
        {"EnvironmentType", "LoadBalancerIsShared", "LoadBalancerType", "ServiceRole"}
    ),
    "aws:elasticbeanstalk:environment:process:*": frozenset(
        {"DeregistrationDelay", "HealthCheckInterval", "HealthCheckPath", "HealthCheckTimeout",
         "HealthyThresholdCount", "MatcherHTTPCode", "Port", "Protocol", "StickinessEnabled",
         "StickinessLBCookieDuration", "StickinessType", "UnhealthyThresholdCount"}
    ),
    "aws:elasticbeanstalk:environment:proxy": frozenset({"ProxyServer"}),
    "aws:elasticbeanstalk:environment:proxy:staticfiles": None,
    "aws:elasticbeanstalk:healthreporting:system": frozenset(
        {"ConfigDocument", "EnhancedHealthAuthEnabled", "HealthCheckSuccessThreshold",
         "SystemType"}
    ),
    "aws:elasticbeanstalk:hostmanager": frozenset({"LogPublicationControl"}),
    "aws:elasticbeanstalk:managedactions": frozenset(
        {"ManagedActionsEnabled", "PreferredStartTime", "ServiceRoleForManagedUpdates"}
    ),
    "aws:elasticbeanstalk:managedactions:platformupdate": frozenset(
        {"InstanceRefreshEnabled", "UpdateLevel"}
    ),
    "aws:elasticbeanstalk:monitoring": frozenset({"Automatically Terminate Unhealthy Instances"}),
    "aws:elasticbeanstalk:sns:topics": frozenset(
        {"Notification Endpoint", "Notification Protocol", "Notification Topic ARN",
         "Notification Topic Name"}
    ),
    "aws:elasticbeanstalk:sqsd": None,
    "aws:elasticbeanstalk:xray": frozenset({"XRayEnabled"}),
    "aws:elasticbeanstalk:container:*": None,
    "aws:elb:*": None,
    "aws:elbv2:listener:*": frozenset(
        {"DefaultProcess", "ListenerEnabled", "Protocol", "Rules", "SSLCertificateArns",
         "SSLPolicy"}
    ),
    "aws:elbv2:listenerrule:*": None,
    "aws:elbv2:loadbalancer": None,
    "aws:rds:dbinstance": None,
    "aws:cloudformation:template:parameter": None,
}  # fmt: skip

_ALLOWED: dict[tuple[str, str], tuple[str, ...]] = {
    ("aws:autoscaling:launchconfiguration", "DisableIMDSv1"): BOOLEAN,
    ("aws:autoscaling:updatepolicy:rollingupdate", "RollingUpdateEnabled"): BOOLEAN,
    ("aws:autoscaling:updatepolicy:rollingupdate", "RollingUpdateType"): (
        "Time", "Health", "Immutable",
    ),
    ("aws:ec2:vpc", "ELBScheme"): ("public", "internal"),
    ("aws:ec2:vpc", "AssociatePublicIpAddress"): BOOLEAN,
    ("aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs"): BOOLEAN,
    ("aws:elasticbeanstalk:cloudwatch:logs", "DeleteOnTerminate"): BOOLEAN,
    ("aws:elasticbeanstalk:cloudwatch:logs:health", "HealthStreamingEnabled"): BOOLEAN,
    ("aws:elasticbeanstalk:cloudwatch:logs:health", "DeleteOnTerminate"): BOOLEAN,
    ("aws:elasticbeanstalk:command", "DeploymentPolicy"): (
        "AllAtOnce", "Rolling", "RollingWithAdditionalBatch", "Immutable", "TrafficSplitting",
    ),
    ("aws:elasticbeanstalk:command", "BatchSizeType"): ("Percentage", "Fixed"),
    ("aws:elasticbeanstalk:command", "IgnoreHealthCheck"): BOOLEAN,
    ("aws:elasticbeanstalk:environment", "EnvironmentType"): ("SingleInstance", "LoadBalanced"),
    ("aws:elasticbeanstalk:environment", "LoadBalancerType"): ("classic", "application", "network"),
    ("aws:elasticbeanstalk:environment", "LoadBalancerIsShared"): BOOLEAN,
    ("aws:elasticbeanstalk:environment:process:*", "Protocol"): ("HTTP", "HTTPS", "TCP"),
    ("aws:elasticbeanstalk:environment:process:*", "StickinessEnabled"): BOOLEAN,
    ("aws:elasticbeanstalk:healthreporting:system", "SystemType"): ("basic", "enhanced"),
    ("aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled"): BOOLEAN,
    ("aws:elasticbeanstalk:managedactions:platformupdate", "UpdateLevel"): ("patch", "minor"),
    ("aws:elasticbeanstalk:managedactions:platformupdate", "InstanceRefreshEnabled"): BOOLEAN,
    ("aws:elasticbeanstalk:xray", "XRayEnabled"): BOOLEAN,
    ("aws:elbv2:listener:*", "ListenerEnabled"): BOOLEAN,
    ("aws:elbv2:listener:*", "Protocol"): ("HTTP", "HTTPS"),
}  # fmt: skip

# CloudWatch Logs retention periods, the only values both log namespaces take.
_RETENTION_DAYS = (
    "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731",
    "1096", "1827", "2192", "2557", "2922", "3288", "3653",
)  # fmt: skip
_INTEGER_RANGE: dict[tuple[str, str], tuple[int, int]] = {
    ("aws:autoscaling:asg", "MinSize"): (1, 10000),
    ("aws:autoscaling:asg", "MaxSize"): (1, 10000),
    ("aws:elasticbeanstalk:command", "BatchSize"): (1, 10000),
    ("aws:elasticbeanstalk:environment:process:*", "Port"): (1, 65535),
}


class ConfigurationValidationError(ServiceException):
    code = "ConfigurationValidationException"


def stack_details() -> list[dict[str, object]]:
    """Our stacks first (newest first per branch), then moto's others, without repeats."""
    ours = [
        {"SolutionStackName": name, "PermittedFileTypes": list(types)} for name, types in _STACKS
    ]
    known = {name for name, _ in _STACKS}
    return ours + [
        s for s in moto_responses.SOLUTION_STACK_DETAILS if s["SolutionStackName"] not in known
    ]


def platform_arn(stack_name: str, partition: str, region: str) -> str:
    """The platform ARN AWS reports for a solution stack name."""
    match = _STACK_PATTERN.match(stack_name)
    if match is None:
        platform = stack_name
    else:
        runtime, os_name, version = match["runtime"], match["os"], match["version"]
        platform = f"{runtime} running on 64bit {os_name}/{version}"
    return f"arn:{partition}:elasticbeanstalk:{region}::platform/{platform}"


def family(namespace: str) -> str | None:
    """The catalogue entry a namespace belongs to; None for an unknown ``aws:`` namespace."""
    if namespace in _OPTIONS:
        return namespace
    for prefix in (
        "aws:elasticbeanstalk:environment:process:",
        "aws:elasticbeanstalk:container:",
        "aws:elbv2:listenerrule:",
        "aws:elbv2:listener:",
        "aws:elb:",
    ):
        if namespace.startswith(prefix) and len(namespace) > len(prefix):
            return prefix + "*"
    return None


def _invalid_value(key: OptionKey, value: str, reason: str) -> ConfigurationValidationError:
    return ConfigurationValidationError(
        f"Configuration validation exception: Invalid option value: '{value}' "
        f"(Namespace: '{key[0]}', OptionName: '{key[1]}'): {reason}"
    )


def check_option(key: OptionKey, value: str) -> None:
    """Raise the service's error when one option setting is unknown or its value is not allowed."""
    namespace, name, _ = key
    if not namespace.startswith("aws:"):
        return
    entry = family(namespace)
    names = _OPTIONS.get(entry) if entry else frozenset()
    if entry is None or (names is not None and name not in names):
        raise ConfigurationValidationError(
            "Configuration validation exception: Invalid option specification "
            f"(Namespace: '{namespace}', OptionName: '{name}'): Unknown configuration setting."
        )
    allowed = _ALLOWED.get((entry, name))
    if allowed is not None and value.lower() not in {a.lower() for a in allowed}:
        raise _invalid_value(
            key, value, f"Value is not one of the allowed values: [{', '.join(allowed)}]"
        )
    if name == "RetentionInDays" and value not in _RETENTION_DAYS:
        raise _invalid_value(key, value, f"Value is not one of: {', '.join(_RETENTION_DAYS)}")
    bounds = _INTEGER_RANGE.get((entry, name))
    if bounds is not None:
        if not value.isdigit():
            raise _invalid_value(key, value, "Value is not an integer.")
        if not bounds[0] <= int(value) <= bounds[1]:
            raise _invalid_value(key, value, f"Value must be between {bounds[0]} and {bounds[1]}.")


@dataclass(frozen=True)
class Configuration:
    """An environment's effective option settings: what was sent, over the service's defaults."""

    settings: dict[OptionKey, str]

    def get(self, namespace: str, name: str, default: str = "") -> str:
        return self.settings.get((namespace, name, ""), default)

    def enabled(self, namespace: str, name: str) -> bool:
        return self.get(namespace, name).lower() == "true"

    @property
    def environment_type(self) -> str:
        return self.get("aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced")

    @property
    def load_balancer_type(self) -> str:
        return self.get("aws:elasticbeanstalk:environment", "LoadBalancerType", "application")

    @property
    def enhanced_health(self) -> bool:
        return self.get("aws:elasticbeanstalk:healthreporting:system", "SystemType") == "enhanced"


def check_configuration(config: Configuration) -> None:
    """The checks that span several options."""
    asg = "aws:autoscaling:asg"
    min_size, max_size = config.get(asg, "MinSize"), config.get(asg, "MaxSize")
    if min_size.isdigit() and max_size.isdigit() and int(min_size) > int(max_size):
        raise _invalid_value(
            (asg, "MinSize", ""), min_size, "MinSize must be less than or equal to MaxSize."
        )
    if config.get("aws:ec2:vpc", "VPCId") and not config.get("aws:ec2:vpc", "Subnets"):
        raise _invalid_value(
            ("aws:ec2:vpc", "Subnets", ""), "null", "Specify the subnets for the VPC."
        )
    managed = ("aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled", "")
    if config.enabled(managed[0], managed[1]):
        if not config.get("aws:elasticbeanstalk:environment", "ServiceRole"):
            raise ConfigurationValidationError(
                "Configuration validation exception: Invalid option specification "
                f"(Namespace: '{managed[0]}', OptionName: '{managed[1]}'): You can't enable "
                "managed platform updates without a service role; set ServiceRole in "
                "aws:elasticbeanstalk:environment."
            )
        if not config.enhanced_health:
            raise _invalid_value(
                managed, "true", "Managed platform updates require enhanced health reporting."
            )
    for (namespace, name, _), value in config.settings.items():
        https = name == "Protocol" and value.upper() == "HTTPS"
        if namespace.startswith("aws:elbv2:listener:") and https:
            if not config.get(namespace, "SSLCertificateArns"):
                raise _invalid_value(
                    (namespace, "SSLCertificateArns", ""),
                    "null",
                    "An HTTPS listener needs a certificate.",
                )


def default_settings(tier_name: str, sent: dict[OptionKey, str]) -> dict[OptionKey, str]:
    """The defaults the service fills in for the options a caller did not send.

    A representative subset: what DescribeConfigurationSettings shows for a new environment of
    the same kind, enough for callers that read back capacity, deployment, health and logging.
    """
    config = Configuration(sent)
    single = config.environment_type == "SingleInstance"
    defaults: dict[str, dict[str, str]] = {
        "aws:autoscaling:asg": {
            "Availability Zones": "Any", "Cooldown": "360",
            "MinSize": "1", "MaxSize": "1" if single else "4",
        },
        "aws:autoscaling:launchconfiguration": {
            "DisableIMDSv1": "false", "EC2KeyName": "", "MonitoringInterval": "5 minute",
        },
        "aws:autoscaling:updatepolicy:rollingupdate": {
            "RollingUpdateEnabled": "false", "RollingUpdateType": "Time", "Timeout": "PT30M",
        },
        "aws:ec2:instances": {"EnableSpot": "false", "InstanceTypes": "t3.micro, t3.small"},
        "aws:elasticbeanstalk:cloudwatch:logs": {
            "DeleteOnTerminate": "false", "RetentionInDays": "7", "StreamLogs": "false",
        },
        "aws:elasticbeanstalk:command": {
            "BatchSize": "100", "BatchSizeType": "Percentage",
            "DeploymentPolicy": "AllAtOnce", "IgnoreHealthCheck": "false", "Timeout": "600",
        },
        "aws:elasticbeanstalk:environment": {"EnvironmentType": config.environment_type},
        "aws:elasticbeanstalk:healthreporting:system": {"SystemType": "basic"},
        "aws:elasticbeanstalk:managedactions": {"ManagedActionsEnabled": "false"},
        "aws:elasticbeanstalk:xray": {"XRayEnabled": "false"},
    }  # fmt: skip
    if tier_name == "WebServer" and not single:
        defaults["aws:elasticbeanstalk:environment"]["LoadBalancerType"] = "application"
        defaults["aws:elasticbeanstalk:environment:process:default"] = {
            "DeregistrationDelay": "20", "HealthCheckInterval": "15", "HealthCheckPath": "/",
            "HealthCheckTimeout": "5", "HealthyThresholdCount": "3", "MatcherHTTPCode": "",
            "Port": "80", "Protocol": "HTTP", "StickinessEnabled": "false",
            "StickinessLBCookieDuration": "86400", "UnhealthyThresholdCount": "5",
        }  # fmt: skip
        if config.load_balancer_type == "application":
            defaults["aws:elbv2:listener:default"] = {
                "DefaultProcess": "default", "ListenerEnabled": "true", "Protocol": "HTTP",
            }  # fmt: skip
    return {
        (namespace, name, ""): value
        for namespace, options in defaults.items()
        for name, value in options.items()
        if (namespace, name, "") not in sent
    }


def install() -> None:
    # Replaced in place: moto's ListAvailableSolutionStacks reads this very list object.
    moto_responses.SOLUTION_STACK_DETAILS[:] = stack_details()
