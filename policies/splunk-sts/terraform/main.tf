# Splunk SOAR's AWS Security Token Service app (seed 003_3f8202e79afce517.txt):
# the SOAR account's user (access_key asset) and EC2 role (use_role asset), and
# TestRole in one customer account trusting both with an external id.
# plan.json next to this file is `terraform show -json` of a plan of this file.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region              = "us-east-2"
  allowed_account_ids = ["999999999999"]
}

provider "aws" {
  alias               = "customer"
  region              = "us-east-2"
  profile             = "customer-a"
  allowed_account_ids = ["157568069999"]
}

variable "external_id" {
  type    = string
  default = "999"
}

variable "customer_account_id" {
  type    = string
  default = "157568069999"
}

resource "aws_iam_user" "test_user" {
  name = "test-user"
  tags = {
    Purpose = "Splunk SOAR AWS STS asset: access_key/secret_key"
  }
}

resource "aws_iam_access_key" "test_user" {
  user = aws_iam_user.test_user.name
}

resource "aws_iam_group" "soar" {
  name = "splunk-soar"
}

resource "aws_iam_group_membership" "soar" {
  name  = "splunk-soar-members"
  group = aws_iam_group.soar.name
  users = [aws_iam_user.test_user.name]
}

resource "aws_iam_policy" "assume_test_role" {
  name        = "splunk-soar-assume-test-roles"
  description = "Lets the Splunk SOAR AWS STS asset assume TestRole in the customer accounts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "AssumeTestRoles"
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::${var.customer_account_id}:role/TestRole"
    }]
  })
}

resource "aws_iam_group_policy_attachment" "soar" {
  group      = aws_iam_group.soar.name
  policy_arn = aws_iam_policy.assume_test_role.arn
}

resource "aws_iam_role" "soar_instance" {
  name        = "splunk-soar"
  description = "Splunk SOAR on EC2 (use_role)"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "soar_instance" {
  role       = aws_iam_role.soar_instance.name
  policy_arn = aws_iam_policy.assume_test_role.arn
}

resource "aws_iam_instance_profile" "soar" {
  name = "splunk-soar"
  role = aws_iam_role.soar_instance.name
}

resource "aws_iam_role" "test_role" {
  provider             = aws.customer
  name                 = "TestRole"
  description          = "Assumed by Splunk SOAR (external id required)"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = [aws_iam_user.test_user.arn, aws_iam_role.soar_instance.arn] }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    }]
  })
}

resource "aws_iam_role_policy" "test_role" {
  provider = aws.customer
  name     = "TestRole-ec2-read"
  role     = aws_iam_role.test_role.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ec2:DescribeInstances", "ec2:DescribeSecurityGroups"]
      Resource = "*"
    }]
  })
}

output "test_role_arn" {
  value = aws_iam_role.test_role.arn
}
